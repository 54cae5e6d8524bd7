/**
 * When does a reminder go out? Pure rules for SPEC §2.3 — no I/O, the clock is always an argument.
 *
 * Rules:
 * - The reminder day is the interview's calendar date **in the reminder zone** minus `days`
 *   calendar days (weekends included: a Monday interview with 2 days → Saturday).
 * - The reminder is due at `reminderTime` wall-clock time on that day in the reminder zone,
 *   DST-correct (Europe/Stockholm: 09:00 local is 08:00Z in winter, 07:00Z in summer).
 *   If the wall time does not exist on that day (a DST-forward gap, e.g. 02:30 on the last
 *   Sunday of March in Stockholm), luxon's normalisation moves it forward by the gap
 *   (02:30 → 03:30 local). With the default 09:00 this never happens in any real zone we use.
 * - Refused with `interview_started` when the interview has started (`interviewStart <= now`).
 * - Refused with `too_few_days` when the reminder day is before today (in the zone), or when
 *   the due time would be at or after the interview's start (only possible with exotic
 *   configurations, e.g. `days = 0` or a late `reminderTime`): a reminder is never due at or
 *   after the start.
 * - When the reminder day is today and the due time has passed, the reminder goes out at
 *   once: `dueAt = now`, `immediate = true`.
 *
 * Interviews in another time zone: the reminder day and the 09:00 are taken in the reminder
 * zone (`REMINDER_TIMEZONE`, default Europe/Stockholm), not in the interview's own zone,
 * because the "09:00 CET" rule is defined for the business running the reminder service.
 * Example: an interview in New York at 09:00 local on Tuesday is 15:00 Stockholm on Tuesday,
 * so "1 day before" is Monday 09:00 Europe/Stockholm. (An interview late in the evening in
 * America can fall on the next calendar day in Stockholm; the Stockholm date counts.)
 */
import { DateTime } from 'luxon';
import { REMINDER_DAYS } from '../common/domain';

export interface ReminderClock {
  /** Wall-clock time 'HH:mm', e.g. '09:00'. */
  reminderTime: string;
  /** IANA zone, e.g. 'Europe/Stockholm'. */
  zone: string;
}

export type ReminderRefusal = 'too_few_days' | 'interview_started';

export type ReminderPlan =
  | { ok: true; dueAt: Date; immediate: boolean; /** ISO date yyyy-mm-dd in the zone */ reminderDate: string }
  | { ok: false; reason: ReminderRefusal; allowedDays: number[]; message: string };

/** Parses 'HH:mm' (00:00–23:59; a one-digit hour such as '9:00' is accepted too). */
export function parseReminderTime(s: string): { hour: number; minute: number } | null {
  if (typeof s !== 'string') return null;
  const m = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(s.trim());
  if (!m) return null;
  return { hour: Number(m[1]), minute: Number(m[2]) };
}

type Core =
  | { ok: true; dueAt: Date; immediate: boolean; reminderDate: string }
  | { ok: false; reason: ReminderRefusal };

const validZones = new Set<string>();

function requireClock(clock: ReminderClock): { hour: number; minute: number } {
  const t = parseReminderTime(clock.reminderTime);
  if (!t) throw new RangeError(`Invalid reminder time "${clock.reminderTime}" (expected HH:mm)`);
  if (!validZones.has(clock.zone)) {
    if (!DateTime.fromMillis(0, { zone: clock.zone }).isValid) throw new RangeError(`Invalid time zone "${clock.zone}"`);
    validZones.add(clock.zone);
  }
  return t;
}

/** The reminder day and its due time depend only on the interview, the day count and the clock: each computed once. */
const dueTimes = new Map<string, { reminderDate: string; due: number }>();

function reminderDue(interviewStart: Date, days: number, zone: string, t: { hour: number; minute: number }): { reminderDate: string; due: number } {
  const key = `${interviewStart.getTime()}|${days}|${zone}|${t.hour}:${t.minute}`;
  let v = dueTimes.get(key);
  if (!v) {
    const interviewDay = DateTime.fromJSDate(interviewStart, { zone }).startOf('day');
    const reminderDay = interviewDay.minus({ days });
    // Built from wall-clock fields so that luxon resolves the offset of that very day (DST-correct).
    const due = DateTime.fromObject({ year: reminderDay.year, month: reminderDay.month, day: reminderDay.day, hour: t.hour, minute: t.minute }, { zone }).toMillis();
    v = { reminderDate: reminderDay.toISODate()!, due };
    if (dueTimes.size >= 10_000) dueTimes.clear();
    dueTimes.set(key, v);
  }
  return v;
}

function planCore(interviewStart: Date, days: number, clock: ReminderClock, t: { hour: number; minute: number }, now: Date): Core {
  if (interviewStart.getTime() <= now.getTime()) return { ok: false, reason: 'interview_started' };
  const { reminderDate, due } = reminderDue(interviewStart, days, clock.zone, t);
  if (reminderDate < DateTime.fromJSDate(now, { zone: clock.zone }).toISODate()!) return { ok: false, reason: 'too_few_days' };
  if (due <= now.getTime()) {
    // Reminder day is today (earlier days were refused above) and the time has passed.
    return { ok: true, dueAt: new Date(now.getTime()), immediate: true, reminderDate };
  }
  if (due >= interviewStart.getTime()) return { ok: false, reason: 'too_few_days' };
  return { ok: true, dueAt: new Date(due), immediate: false, reminderDate };
}

/** The subset of REMINDER_DAYS that can still be honoured for this interview. */
export function allowedReminderDays(interviewStart: Date, clock: ReminderClock, now: Date): number[] {
  const t = requireClock(clock);
  return REMINDER_DAYS.filter((d) => planCore(interviewStart, d, clock, t, now).ok);
}

/**
 * The day count a reminder takes when its interview moves to `newStart`: the same where it still fits, else the
 * largest smaller count that does, else null (no reminder can go out before the new time).
 */
export function reminderDaysAfterMove(newStart: Date, days: number, clock: ReminderClock, now: Date): number | null {
  const fitting = allowedReminderDays(newStart, clock, now).filter((d) => d <= days);
  return fitting.length ? Math.max(...fitting) : null;
}

function joinOr(xs: number[]): string {
  if (xs.length <= 1) return xs.join('');
  return `${xs.slice(0, -1).join(', ')} or ${xs[xs.length - 1]}`;
}

function refusalMessage(reason: ReminderRefusal, allowed: number[], interviewStart: Date, clock: ReminderClock, now: Date): string {
  if (reason === 'interview_started') return 'No reminder is possible: the interview has already started.';
  const interviewDay = DateTime.fromJSDate(interviewStart, { zone: clock.zone }).startOf('day');
  const today = DateTime.fromJSDate(now, { zone: clock.zone }).startOf('day');
  const remaining = Math.round(interviewDay.diff(today, 'days').days);
  if (allowed.length === 0) {
    if (remaining <= 0) return 'No reminder is possible: the interview starts today.';
    return `No reminder is possible: the interview starts too soon (${clock.reminderTime} ${clock.zone} would be too late).`;
  }
  const remain = remaining === 1 ? 'Only 1 day remains' : `Only ${remaining} days remain`;
  const choose = allowed.length === 1 ? `choose ${allowed[0]} day${allowed[0] === 1 ? '' : 's'} before` : `choose ${joinOr(allowed)} days before`;
  return `${remain} before the interview: ${choose}.`;
}

/**
 * Plans one reminder `days` calendar days before the interview. See the file comment for the rules.
 * Throws RangeError on an invalid clock (bad 'HH:mm' or unknown zone) or a negative/non-integer `days`.
 */
export function planReminder(interviewStart: Date, days: number, clock: ReminderClock, now: Date): ReminderPlan {
  if (!Number.isInteger(days) || days < 0) throw new RangeError(`Invalid reminder days ${days}`);
  const t = requireClock(clock);
  const core = planCore(interviewStart, days, clock, t, now);
  if (core.ok) return core;
  const allowedDays = REMINDER_DAYS.filter((d) => planCore(interviewStart, d, clock, t, now).ok);
  return { ok: false, reason: core.reason, allowedDays, message: refusalMessage(core.reason, allowedDays, interviewStart, clock, now) };
}
