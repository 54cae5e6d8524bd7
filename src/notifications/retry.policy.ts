export const MAX_ATTEMPTS = 8;

/** Exponential back-off for temporary failures: 2 s, 4 s, 8 s … capped at 10 minutes. */
export function backoffMs(attempt: number): number {
  return Math.min(2000 * 2 ** Math.max(0, attempt - 1), 10 * 60_000);
}
