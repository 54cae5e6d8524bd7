import { createHash, randomBytes, randomInt } from 'node:crypto';

/** 144 random bits, URL-safe. Only its hash is stored. */
export function newConfirmToken(): string {
  return randomBytes(18).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

const REF_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

export function newSmsRef(): string {
  let s = '';
  for (let i = 0; i < 4; i++) s += REF_ALPHABET[randomInt(REF_ALPHABET.length)];
  return s;
}
