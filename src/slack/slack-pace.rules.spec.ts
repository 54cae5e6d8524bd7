import { ARRIVAL_ALLOWANCE_MS, postKey, postPace, SLOT_LATE_MS, updatePace, usableSlot } from './slack-pace.rules';

describe('Slack pace rules', () => {
  it('names a channel’s pace within the 32 characters of rate_limits.name', () => {
    expect(postKey('C0HIRING1')).toBe('slack.post:C0HIRING1');
    expect(postKey('C'.repeat(40))).toHaveLength(32);
  });

  it('spaces messages per channel and card edits per workspace by the configured rates, a little wider for arrival jitter', () => {
    expect(postPace({ channelPostsPerMinute: 60, updatesPerMinute: 50 }).intervalMs).toBe(1000 + ARRIVAL_ALLOWANCE_MS);
    expect(updatePace({ channelPostsPerMinute: 60, updatesPerMinute: 50 }).intervalMs).toBe(1200 + ARRIVAL_ALLOWANCE_MS);
  });

  it('uses the earliest slot a send holds unless it was missed by more than the allowance', () => {
    const now = Date.UTC(2031, 0, 1, 9, 0, 0);
    expect(usableSlot([null, null], now)).toBeNull();
    expect(usableSlot([new Date(now + 100), null, new Date(now - 50)], now)).toBe(now - 50);
    expect(usableSlot([new Date(now - SLOT_LATE_MS - 1)], now)).toBeNull();
    expect(usableSlot([new Date(now - SLOT_LATE_MS)], now)).toBe(now - SLOT_LATE_MS);
  });
});
