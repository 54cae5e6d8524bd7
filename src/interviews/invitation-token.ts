import { createHash, randomBytes, randomInt } from 'node:crypto';
import { newRef } from '../common/sms-ref';

/** 144 random bits, URL-safe. Only its hash is stored. */
export function newConfirmToken(): string {
  return randomBytes(18).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

const RANDOM_RANGE = 2 ** 31;

/** The SMS reference of a new invitation, drawn with crypto randomness. */
export function newSmsRef(): string {
  return newRef(() => randomInt(RANDOM_RANGE) / RANDOM_RANGE);
}
