import fc from 'fast-check';
import { DateTime } from 'luxon';
import { REMINDER_DAYS } from '../common/domain';
import { allowedReminderDays, parseReminderTime, planReminder, ReminderClock, reminderDaysAfterMove } from './reminder-timing.rules';

const ZONE = 'Europe/Stockholm';
const clock: ReminderClock = { reminderTime: '09:00', zone: ZONE };
const at = (iso: string) => DateTime.fromISO(iso, { zone: ZONE }).toJSDate();
const iso = (d: Date) => d.toISOString();

function okPlan(start: Date, days: number, now: Date, c: ReminderClock = clock) {
  const p = planReminder(start, days, c, now);
  if (!p.ok) throw new Error(`expected ok, got ${p.reason}: ${p.message}`);
  return p;
}

describe('parseReminderTime', () => {
  it.each([
    ['09:00', { hour: 9, minute: 0 }],
    ['00:00', { hour: 0, minute: 0 }],
    ['23:59', { hour: 23, minute: 59 }],
    ['9:30', { hour: 9, minute: 30 }],
  ])('%s', (s, expected) => expect(parseReminderTime(s)).toEqual(expected));
  it.each(['24:00', '12:60', '', '9', 'ab:cd', '09:00:00', '-1:00'])('rejects %p', (s) => expect(parseReminderTime(s)).toBeNull());
});

describe('planReminder', () => {
  const now = at('2026-11-01T12:00');

  it('spec example: Monday interview, 2 days → Saturday 09:00 Stockholm', () => {
    const p = okPlan(at('2026-12-07T10:00'), 2, now); // Monday
    expect(p.reminderDate).toBe('2026-12-05'); // Saturday
    expect(iso(p.dueAt)).toBe('2026-12-05T08:00:00.000Z');
    expect(p.immediate).toBe(false);
  });

  it('DST forward (2026-03-29): winter day before, summer day after', () => {
    // Interview Monday 30 March (CEST), 1 day before = Sunday 29 March = the switch day itself: 09:00 CEST = 07:00Z
    expect(iso(okPlan(at('2026-03-30T10:00'), 1, at('2026-03-01T12:00')).dueAt)).toBe('2026-03-29T07:00:00.000Z');
    // Across the switch: interview 1 April (CEST), 7 days → 25 March (CET) 09:00 = 08:00Z
    expect(iso(okPlan(at('2026-04-01T10:00'), 7, at('2026-03-01T12:00')).dueAt)).toBe('2026-03-25T08:00:00.000Z');
    // Interview 28 March (CET) → reminder in CET
    expect(iso(okPlan(at('2026-03-28T10:00'), 1, at('2026-03-01T12:00')).dueAt)).toBe('2026-03-27T08:00:00.000Z');
  });

  it('DST back (2026-10-25): summer day before, winter day after', () => {
    // Interview 27 Oct (CET), 3 days → 24 Oct (CEST) 09:00 = 07:00Z
    expect(iso(okPlan(at('2026-10-27T10:00'), 3, at('2026-10-01T12:00')).dueAt)).toBe('2026-10-24T07:00:00.000Z');
    // 1 day before Monday 26 Oct = the switch day (CET after 03:00) 09:00 = 08:00Z
    expect(iso(okPlan(at('2026-10-26T10:00'), 1, at('2026-10-01T12:00')).dueAt)).toBe('2026-10-25T08:00:00.000Z');
    // Interview 2 Nov (CET), 7 days → 26 Oct (CET) = 08:00Z
    expect(iso(okPlan(at('2026-11-02T10:00'), 7, at('2026-10-01T12:00')).dueAt)).toBe('2026-10-26T08:00:00.000Z');
  });

  it('a non-existent wall time on the DST-forward day is normalised forward', () => {
    const p = okPlan(at('2026-03-30T10:00'), 1, at('2026-03-01T12:00'), { reminderTime: '02:30', zone: ZONE });
    expect(DateTime.fromJSDate(p.dueAt, { zone: ZONE }).toFormat('yyyy-MM-dd HH:mm')).toBe('2026-03-29 03:30');
  });

  it('month end and year end: 2027-01-01 with 7 days → 2026-12-25 09:00', () => {
    const p = okPlan(at('2027-01-01T10:00'), 7, now);
    expect(p.reminderDate).toBe('2026-12-25');
    expect(iso(p.dueAt)).toBe('2026-12-25T08:00:00.000Z');
    expect(okPlan(at('2026-12-01T10:00'), 2, now).reminderDate).toBe('2026-11-29');
    expect(okPlan(at('2028-03-01T10:00'), 1, now).reminderDate).toBe('2028-02-29'); // leap year
  });

  it.each([
    [1, '2026-12-07'],
    [2, '2026-12-06'],
    [3, '2026-12-05'],
    [5, '2026-12-03'],
    [7, '2026-12-01'],
  ])('every allowed day count: %i day(s) before Tue 8 Dec → %s', (days, date) => {
    const p = okPlan(at('2026-12-08T10:00'), days, now);
    expect(p.reminderDate).toBe(date);
    expect(DateTime.fromJSDate(p.dueAt, { zone: ZONE }).toFormat('yyyy-MM-dd HH:mm')).toBe(`${date} 09:00`);
  });

  it('interview just after midnight: Tue 00:15 with 1 day → Monday 09:00', () => {
    const p = okPlan(at('2026-12-08T00:15'), 1, now);
    expect(p.reminderDate).toBe('2026-12-07');
    expect(iso(p.dueAt)).toBe('2026-12-07T08:00:00.000Z');
  });

  it('interview in another zone: New York Tue 09:00 → Monday 09:00 Stockholm', () => {
    const start = DateTime.fromISO('2026-12-08T09:00', { zone: 'America/New_York' }).toJSDate();
    const p = okPlan(start, 1, now);
    expect(p.reminderDate).toBe('2026-12-07');
    expect(iso(p.dueAt)).toBe('2026-12-07T08:00:00.000Z');
    // 20:00 New York Tuesday = 02:00 Wednesday Stockholm → the Stockholm date counts
    const late = DateTime.fromISO('2026-12-08T20:00', { zone: 'America/New_York' }).toJSDate();
    expect(okPlan(late, 1, now).reminderDate).toBe('2026-12-08');
  });

  it('refuses too few days with what is possible', () => {
    const p = planReminder(at('2026-12-08T10:00'), 7, clock, at('2026-12-05T12:00'));
    expect(p).toEqual({
      ok: false,
      reason: 'too_few_days',
      allowedDays: [1, 2, 3],
      message: 'Only 3 days remain before the interview: choose 1, 2 or 3 days before.',
    });
  });

  it('refuses with one possible day', () => {
    const p = planReminder(at('2026-12-08T10:00'), 2, clock, at('2026-12-07T06:00'));
    expect(p).toMatchObject({ ok: false, reason: 'too_few_days', allowedDays: [1], message: 'Only 1 day remains before the interview: choose 1 day before.' });
  });

  it('refuses everything on the interview day', () => {
    const p = planReminder(at('2026-12-08T15:00'), 1, clock, at('2026-12-08T06:00'));
    expect(p).toEqual({ ok: false, reason: 'too_few_days', allowedDays: [], message: 'No reminder is possible: the interview starts today.' });
  });

  it('refuses once the interview has started', () => {
    const start = at('2026-12-08T10:00');
    for (const now2 of [start, at('2026-12-08T11:00')]) {
      const p = planReminder(start, 1, clock, now2);
      expect(p).toMatchObject({ ok: false, reason: 'interview_started', allowedDays: [] });
      if (!p.ok) expect(p.message).toMatch(/started/);
    }
  });

  it('reminder day is today and 09:00 has passed → immediate', () => {
    const now2 = at('2026-12-05T14:30');
    const p = okPlan(at('2026-12-08T10:00'), 3, now2);
    expect(p).toEqual({ ok: true, dueAt: now2, immediate: true, reminderDate: '2026-12-05' });
    expect(p.dueAt).not.toBe(now2); // a copy
  });

  it('reminder day is today before 09:00 → due at 09:00', () => {
    const p = okPlan(at('2026-12-08T10:00'), 3, at('2026-12-05T08:59'));
    expect(p.immediate).toBe(false);
    expect(iso(p.dueAt)).toBe('2026-12-05T08:00:00.000Z');
  });

  it('never due at or after the start (exotic config)', () => {
    // days = 0 and reminder time after the interview's start
    const p = planReminder(at('2026-12-08T08:30'), 0, clock, at('2026-12-01T12:00'));
    expect(p).toMatchObject({ ok: false, reason: 'too_few_days' });
    // late reminder time, interview early the next morning: still before the start → ok
    const q = okPlan(at('2026-12-08T00:15'), 1, at('2026-12-01T12:00'), { reminderTime: '23:59', zone: ZONE });
    expect(DateTime.fromJSDate(q.dueAt, { zone: ZONE }).toFormat('yyyy-MM-dd HH:mm')).toBe('2026-12-07 23:59');
  });

  it('throws on an invalid clock or days', () => {
    expect(() => planReminder(at('2026-12-08T10:00'), 1, { reminderTime: '25:00', zone: ZONE }, now)).toThrow(RangeError);
    expect(() => planReminder(at('2026-12-08T10:00'), 1, { reminderTime: '09:00', zone: 'Mars/Olympus' }, now)).toThrow(RangeError);
    expect(() => planReminder(at('2026-12-08T10:00'), -1, clock, now)).toThrow(RangeError);
    expect(() => planReminder(at('2026-12-08T10:00'), 1.5, clock, now)).toThrow(RangeError);
  });

  it('allowedReminderDays', () => {
    expect(allowedReminderDays(at('2026-12-08T10:00'), clock, at('2026-11-01T12:00'))).toEqual([1, 2, 3, 5, 7]);
    expect(allowedReminderDays(at('2026-12-08T10:00'), clock, at('2026-12-03T12:00'))).toEqual([1, 2, 3, 5]);
    expect(allowedReminderDays(at('2026-12-08T10:00'), clock, at('2026-12-08T09:00'))).toEqual([]);
  });
});

describe('planReminder properties', () => {
  const from = Date.UTC(2026, 0, 1);
  const to = Date.UTC(2029, 0, 1) - 1;
  const arb = fc
    .record({
      start: fc.integer({ min: from, max: to }),
      lead: fc.integer({ min: 1, max: 20 * 24 * 60 * 60 * 1000 }),
      days: fc.constantFrom(...REMINDER_DAYS),
      zone: fc.constantFrom('Europe/Stockholm', 'Europe/Helsinki', 'America/New_York', 'UTC'),
    })
    .map(({ start, lead, days, zone }) => ({ start: new Date(start), now: new Date(start - lead), days, zone }));

  it('ok plans are before the start, not in the past, and at 09:00 `days` days before; refusals are consistent', () => {
    fc.assert(
      fc.property(arb, ({ start, now, days, zone }) => {
        const c = { reminderTime: '09:00', zone };
        const p = planReminder(start, days, c, now);
        const allowed = allowedReminderDays(start, c, now);
        if (p.ok) {
          expect(allowed).toContain(days);
          expect(p.dueAt.getTime()).toBeLessThan(start.getTime());
          expect(p.dueAt.getTime()).toBeGreaterThanOrEqual(now.getTime());
          const due = DateTime.fromJSDate(p.dueAt, { zone });
          const interviewDay = DateTime.fromJSDate(start, { zone }).startOf('day');
          expect(p.reminderDate).toBe(interviewDay.minus({ days }).toISODate());
          if (p.immediate) {
            expect(p.dueAt.getTime()).toBe(now.getTime());
            expect(p.reminderDate).toBe(DateTime.fromJSDate(now, { zone }).toISODate());
          } else {
            expect(due.hour).toBe(9);
            expect(due.minute).toBe(0);
            expect(due.toISODate()).toBe(p.reminderDate);
          }
        } else {
          expect(p.allowedDays).not.toContain(days);
          expect(p.allowedDays).toEqual(allowed);
          expect(p.message.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('allowed days are a prefix of REMINDER_DAYS (fewer days are always possible when more are)', () => {
    fc.assert(
      fc.property(arb, ({ start, now, zone }) => {
        const allowed = allowedReminderDays(start, { reminderTime: '09:00', zone }, now);
        expect(allowed).toEqual(REMINDER_DAYS.slice(0, allowed.length));
      }),
    );
  });
});

describe('reminderDaysAfterMove', () => {
  it('keeps the day count where it fits, else takes the largest smaller one that does, else none', () => {
    const now = at('2030-08-10T12:00');
    expect(reminderDaysAfterMove(at('2030-08-20T10:00'), 2, clock, now)).toBe(2);
    expect(reminderDaysAfterMove(at('2030-08-12T10:00'), 2, clock, now)).toBe(2); // reminder day is today, 09:00 passed: at once
    expect(reminderDaysAfterMove(at('2030-08-11T10:00'), 2, clock, now)).toBe(1);
    expect(reminderDaysAfterMove(at('2030-08-13T10:00'), 7, clock, now)).toBe(3);
    expect(reminderDaysAfterMove(at('2030-08-10T15:00'), 2, clock, now)).toBeNull();
  });

  it('never gives more days than chosen, and what it gives can be planned', () => {
    const from = Date.UTC(2026, 0, 1);
    fc.assert(
      fc.property(
        fc.integer({ min: from, max: from + 3 * 365 * 86_400_000 }),
        fc.integer({ min: 1, max: 20 * 86_400_000 }),
        fc.constantFrom(...REMINDER_DAYS),
        (start, lead, days) => {
          const s = new Date(start);
          const now = new Date(start - lead);
          const got = reminderDaysAfterMove(s, days, clock, now);
          if (got === null) return allowedReminderDays(s, clock, now).every((d) => d > days);
          return got <= days && planReminder(s, got, clock, now).ok && (got === days) === planReminder(s, days, clock, now).ok;
        },
      ),
    );
  });
});
