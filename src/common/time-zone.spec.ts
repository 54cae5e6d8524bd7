import { timeZoneProblem } from './time-zone';

describe('timeZoneProblem', () => {
  it.each(['Europe/Stockholm', 'America/Argentina/Buenos_Aires', 'Etc/GMT-5', 'UTC', 'Asia/Kolkata', 'europe/stockholm'])('accepts %s', (zone) => {
    expect(timeZoneProblem(zone)).toBeNull();
  });

  it.each(['local', 'system', 'LOCAL', 'System'])('refuses %s by name', (zone) => {
    expect(timeZoneProblem(zone)).toMatch(new RegExp(`IANA time zone.*"${zone}"`));
  });

  it.each(['UTC+5', 'utc-3', '+05:00', 'Z', 'Mars/Base', 'Etc/Unknown', 'Europe/Stockholm/', 'Europe//Stockholm', '', ' Europe/Stockholm'])('refuses %j', (zone) => {
    expect(timeZoneProblem(zone)).toBe('must be an IANA time zone such as Europe/Stockholm');
  });

});
