import { DateTime } from 'luxon';

export type WallTime = { ok: true; start: DateTime } | { ok: false; field: 'date' | 'time'; message: string };

/**
 * A date and a wall-clock time (HH:mm) in a zone. Refused where that time does not exist there: luxon would move
 * 02:30 on the night the clocks go forward to 03:30 without a word, and the candidate would be told another time.
 */
export function wallTime(date: string, time: string, zone: string): WallTime {
  const start = DateTime.fromISO(`${date}T${time}`, { zone });
  if (!start.isValid) return { ok: false, field: 'date', message: 'Choose a valid date and time.' };
  if (start.toISODate() !== date || start.toFormat('HH:mm') !== time.slice(0, 5))
    return { ok: false, field: 'time', message: `${time.slice(0, 5)} does not exist on ${date} in ${zone}: the clocks go forward that night. Choose another time.` };
  return { ok: true, start };
}
