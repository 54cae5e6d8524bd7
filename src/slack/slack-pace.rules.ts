import type { Pace } from '../notifications/rate-limit/send-slots';

/** Messages one channel takes at once after a quiet spell (Slack: "short bursts >1 allowed"). */
export const CHANNEL_POST_BURST = 5;
/** Card edits the workspace takes at once after a quiet spell (chat.update is Tier 3: 50+ a minute, bursts welcome). */
export const UPDATE_BURST = 10;
/** A slot this close is waited for in the handler; a later one sends the message back to the outbox until then. */
export const INLINE_WAIT_MS = 250;
/**
 * Added to every interval: a call reaches Slack up to this much later or earlier than its slot (event loop,
 * network), and Slack counts arrivals, so slots are spaced a little wider than the rate.
 */
export const ARRIVAL_ALLOWANCE_MS = 100;
/**
 * A slot missed by more than this (the instance was down, or busy) is not used: sent late, a message falls together
 * with the ones of the next slots, closer than Slack counts.
 */
export const SLOT_LATE_MS = ARRIVAL_ALLOWANCE_MS / 2;
/** A row sent back to the outbox for a slot falls due this much before it, and waits for it in the handler. */
export const SLOT_LEAD_MS = 100;

export interface SlackPaces {
  channelPostsPerMinute: number;
  updatesPerMinute: number;
}

/** Names in `rate_limits` (32 characters at most): messages into one channel, and every card edit of the workspace. */
export function postKey(channel: string): string {
  return `slack.post:${channel}`.slice(0, 32);
}
export const UPDATE_KEY = 'slack.update';

export function postPace(p: SlackPaces): Pace {
  return { intervalMs: 60_000 / p.channelPostsPerMinute + ARRIVAL_ALLOWANCE_MS, burst: CHANNEL_POST_BURST };
}
export function updatePace(p: SlackPaces): Pace {
  return { intervalMs: 60_000 / p.updatesPerMinute + ARRIVAL_ALLOWANCE_MS, burst: UPDATE_BURST };
}

/**
 * The slot one of `held` (the rows of one send) reserved earlier and can use now, in real time: not missed by more
 * than SLOT_LATE_MS. Null when none can.
 */
export function usableSlot(held: readonly (Date | null)[], nowMs: number): number | null {
  let best: number | null = null;
  for (const at of held) {
    if (!at) continue;
    const t = at.getTime();
    if (nowMs - t <= SLOT_LATE_MS && (best === null || t < best)) best = t;
  }
  return best;
}
