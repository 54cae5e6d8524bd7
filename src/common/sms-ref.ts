/** The short reference in SMS texts that ties a reply to its invitation. Pure. */

/** Reference alphabet: no 0/O, 1/I/L look-alikes. */
export const REF_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const REF_LENGTH = 4;

const REF_RE = new RegExp(`^[${REF_ALPHABET}]{${REF_LENGTH}}$`);

/** True when `s` (any case) is a 4-character reference from REF_ALPHABET. */
export function isRef(s: string): boolean {
  return typeof s === 'string' && REF_RE.test(s.toUpperCase());
}

/**
 * A new 4-character reference. `random` returns a number in [0, 1) (pass a crypto-backed one).
 * The result always contains at least one digit (if none was drawn, one position — chosen by
 * `random` — is replaced by a random digit), so that refs are never ordinary words.
 */
export function newRef(random: () => number = Math.random): string {
  const pick = (alphabet: string) => alphabet[Math.min(alphabet.length - 1, Math.floor(random() * alphabet.length))];
  const chars: string[] = [];
  for (let i = 0; i < REF_LENGTH; i++) chars.push(pick(REF_ALPHABET));
  if (!chars.some((c) => c >= '0' && c <= '9')) {
    const pos = Math.min(REF_LENGTH - 1, Math.floor(random() * REF_LENGTH));
    chars[pos] = pick('23456789');
  }
  return chars.join('');
}
