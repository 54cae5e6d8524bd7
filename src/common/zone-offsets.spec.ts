import fc from 'fast-check';
import { DateTime, IANAZone } from 'luxon';
import { memoiseZoneOffsets } from './zone-offsets';

const ZONES = ['Europe/Stockholm', 'America/New_York', 'Australia/Lord_Howe', 'Pacific/Chatham', 'Asia/Kolkata', 'America/St_Johns', 'Europe/Dublin', 'Not/AZone'];

describe('memoiseZoneOffsets', () => {
  // Offsets as luxon works them out without the memo, taken before it is installed.
  const exact = (zone: string, ts: number) => IANAZone.create(zone).offset(ts);
  const samples: [string, number, number][] = [];
  const transitions: [string, number][] = [];
  beforeAll(() => {
    // Every minute around each change of offset, found by bisection: those of 2026–2027 (on the hour in UTC), and
    // older ones at odd instants (local mean time ending at 23:40:28 UTC in Amsterdam, say).
    const ranges: [string, number, number][] = [
      ...ZONES.slice(0, -1).map((zone): [string, number, number] => [zone, Date.UTC(2026, 0, 1), Date.UTC(2028, 0, 1)]),
      ['Europe/Amsterdam', Date.UTC(1935, 0, 1), Date.UTC(1941, 0, 1)],
      ['America/St_Johns', Date.UTC(1934, 0, 1), Date.UTC(1936, 0, 1)],
    ];
    for (const [zone, from, to] of ranges) {
      for (let t = from; t < to; t += 86_400_000) {
        if (exact(zone, t) === exact(zone, t + 86_400_000)) continue;
        let [lo, hi] = [t, t + 86_400_000];
        while (hi - lo > 1) {
          const mid = Math.floor((lo + hi) / 2);
          if (exact(zone, mid) === exact(zone, t)) lo = mid;
          else hi = mid;
        }
        transitions.push([zone, hi]);
        for (let d = -40; d <= 40; d++) samples.push([zone, hi + d * 60_000 - 1, exact(zone, hi + d * 60_000 - 1)], [zone, hi + d * 60_000, exact(zone, hi + d * 60_000)]);
      }
    }
    memoiseZoneOffsets();
  });

  it('finds the changes it is tested on, some of them inside a 15-minute span', () => {
    expect(transitions.length).toBeGreaterThanOrEqual(20);
    expect(transitions.some(([, ts]) => ts % (15 * 60_000) !== 0)).toBe(true);
  });

  it('gives the same offsets as luxon, to the millisecond around every change of offset', () => {
    for (const [zone, ts, want] of samples) expect([zone, ts, IANAZone.create(zone).offset(ts)]).toEqual([zone, ts, want]);
    // Asked again, now from the memo.
    for (const [zone, ts, want] of samples) expect([zone, ts, IANAZone.create(zone).offset(ts)]).toEqual([zone, ts, want]);
  });

  it('gives for any instant and zone the offset Intl names for it', () => {
    const intlOffset = (zone: string, ts: number) => {
      const name = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' }).formatToParts(ts).find((p) => p.type === 'timeZoneName')!.value;
      const m = /GMT(?:([+-])(\d\d):(\d\d))?/.exec(name)!;
      return m[1] ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
    };
    fc.assert(
      fc.property(fc.constantFrom(...ZONES.slice(0, -1)), fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2060, 0, 1) }), (zone, ts) => {
        expect(IANAZone.create(zone).offset(ts)).toBe(intlOffset(zone, ts));
        expect(DateTime.fromMillis(ts, { zone }).offset).toBe(intlOffset(zone, ts));
      }),
      { numRuns: 3000 },
    );
    expect(IANAZone.create('Not/AZone').offset(Date.UTC(2026, 5, 1))).toBeNaN();
  });

  it('is installed once, however often it is called', () => {
    const offset = IANAZone.prototype.offset;
    memoiseZoneOffsets();
    expect(IANAZone.prototype.offset).toBe(offset);
  });
});
