import { wallTime } from './wall-time';

describe('wallTime', () => {
  it('gives the instant of a wall time in the zone, on both sides of a change of offset', () => {
    const winter = wallTime('2027-03-27', '02:30', 'Europe/Stockholm');
    const summer = wallTime('2027-03-29', '02:30', 'Europe/Stockholm');
    expect(winter.ok && winter.start.toUTC().toISO()).toBe('2027-03-27T01:30:00.000Z');
    expect(summer.ok && summer.start.toUTC().toISO()).toBe('2027-03-29T00:30:00.000Z');
  });

  it('refuses the hour skipped when the clocks go forward, saying why', () => {
    const skipped = wallTime('2027-03-28', '02:30', 'Europe/Stockholm');
    expect(skipped).toEqual({ ok: false, field: 'time', message: expect.stringMatching(/02:30 does not exist on 2027-03-28 in Europe\/Stockholm/) });
    expect(wallTime('2027-03-14', '02:15', 'America/New_York').ok).toBe(false);
    expect(wallTime('2027-03-28', '03:00', 'Europe/Stockholm').ok).toBe(true);
  });

  it('takes a time that happens twice when the clocks go back, in standard time', () => {
    const twice = wallTime('2027-10-31', '02:30', 'Europe/Stockholm');
    expect(twice.ok && twice.start.toUTC().toISO()).toBe('2027-10-31T01:30:00.000Z');
  });

  it('refuses dates that do not exist', () => {
    expect(wallTime('2027-02-30', '10:00', 'Europe/Stockholm')).toMatchObject({ ok: false, field: 'date' });
  });
});
