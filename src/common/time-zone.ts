import { DateTime } from 'luxon';
import type { z } from 'zod';

/** The shape of an IANA zone name (Europe/Stockholm, America/Argentina/Buenos_Aires, Etc/GMT-5, UTC); no offsets such as +05:00. */
const ZONE_NAME = /^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+)*$/;

/**
 * Why `name` cannot be an interview's or the reminders' time zone, or null when it can: an IANA zone name that both
 * Intl (which renders every date) and luxon (which does the arithmetic) know. Luxon alone also takes "local",
 * "system" and "UTC+5", which Intl refuses at render time.
 */
export function timeZoneProblem(name: string): string | null {
  if (/^(local|system)$/i.test(name)) return `must name an IANA time zone such as Europe/Stockholm; "${name}" (the server's own zone) is not allowed`;
  if (!ZONE_NAME.test(name) || !knownToIntl(name) || !DateTime.fromMillis(0, { zone: name }).isValid) return 'must be an IANA time zone such as Europe/Stockholm';
  return null;
}

/** For zod's superRefine: a bad zone is an issue in timeZoneProblem's words; undefined (not given) passes. */
export function checkTimeZone(name: string | undefined, ctx: z.RefinementCtx<string | undefined>): void {
  const problem = name === undefined ? null : timeZoneProblem(name);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
}

function knownToIntl(name: string): boolean {
  try {
    new Intl.DateTimeFormat(undefined, { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
