export const MAX_ATTEMPTS = 8;

/** A message still throttled (a provider's 429, or held back by the app) this long after it was first held back counts its tries again. */
export const THROTTLED_AT_MOST_MS = 24 * 3600_000;

/** Exponential back-off for temporary failures: 2 s, 4 s, 8 s … capped at 10 minutes. */
export function backoffMs(attempt: number): number {
  return Math.min(2000 * 2 ** Math.max(0, attempt - 1), 10 * 60_000);
}
