import { Inject, Injectable } from '@nestjs/common';
import { DataSource, IsNull, MoreThan } from 'typeorm';
import { CLOCK, Clock } from '../common/clock';
import { DeliveryError } from '../common/errors';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config.schema';
import { OutboxMessage } from '../notifications/outbox.entity';
import { ProviderRateLimiter } from '../notifications/rate-limit/provider-rate-limiter';
import type { Pace } from '../notifications/rate-limit/send-slots';
import { INLINE_WAIT_MS, postKey, postPace, SLOT_LATE_MS, SLOT_LEAD_MS, UPDATE_KEY, updatePace, usableSlot } from './slack-pace.rules';

/** Slots reserved in a row that this instance wakes up too late for, before the row goes back to the outbox. */
const LATE_ATTEMPTS = 5;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Keeps the app's Slack calls within Slack's limits, for every instance together: about one message a second per
 * channel, and 50 card edits a minute for the workspace (SLACK_CHANNEL_POSTS_PER_MINUTE, SLACK_UPDATES_PER_MINUTE).
 * A send whose slot is more than a moment away goes back to the outbox until its slot, which it holds; it does not
 * use up an attempt. Card edits and thread replies of an interview that already has one waiting for its slot wait
 * for that one instead of taking slots of their own: the edit renders the card as it is then, and replies due
 * together go out as one message. The local Slack driver has no limits.
 */
@Injectable()
export class SlackPacer {
  constructor(
    private readonly db: DataSource,
    private readonly limiter: ProviderRateLimiter,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Before a message into `channel` (a thread reply, a card's first post, a direct message). */
  post(rows: OutboxMessage[], channel: string, joinable = false): Promise<void> {
    return this.pace(rows, postKey(channel), postPace(this.config.slackPace), joinable);
  }

  /** Before a card edit. */
  update(rows: OutboxMessage[]): Promise<void> {
    return this.pace(rows, UPDATE_KEY, updatePace(this.config.slackPace), true);
  }

  private async pace(rows: OutboxMessage[], key: string, pace: Pace, joinable: boolean): Promise<void> {
    if (!this.config.slack) return;
    const held = usableSlot(rows.map((r) => r.slotAt), Date.now());
    if (held !== null && (await this.sendAt(held, key))) return;
    if (joinable) {
      const waiting = await this.waitingSibling(rows);
      if (waiting) throw DeliveryError.paced(`Slack: goes with the ${rows[0].kind} waiting for its slot (${key})`, Math.max(0, waiting.dueAt.getTime() - this.clock.now().getTime()), null);
    }
    for (let attempt = 0; attempt < LATE_ATTEMPTS; attempt++) {
      if (await this.sendAt(await this.limiter.reserve(key, pace), key)) return;
    }
    throw DeliveryError.paced(`Slack: this instance keeps missing its send slots (${key})`, INLINE_WAIT_MS, null);
  }

  /**
   * Waits for `slot` when it is close: true once it has come, false when this instance woke up too late for it (a
   * stall): sent now, it would fall together with the slots after it. A slot further away sends the row back to
   * the outbox, holding the slot; it comes back a little before it.
   */
  private async sendAt(slot: number, key: string): Promise<boolean> {
    const wait = slot - Date.now();
    if (wait > INLINE_WAIT_MS) throw DeliveryError.paced(`Slack: waits for its slot (${key})`, wait - SLOT_LEAD_MS, new Date(slot));
    if (wait > 0) await sleep(wait);
    return Date.now() - slot <= SLOT_LATE_MS;
  }

  /**
   * A row of the same interview and kind that holds a slot still to come and that no dispatcher has taken yet. The
   * outbox's (interviewId, channel, state, slotAt) index reads only rows holding a slot.
   */
  private waitingSibling(rows: OutboxMessage[]): Promise<OutboxMessage | null> {
    const first = rows[0];
    if (first.interviewId == null) return Promise.resolve(null);
    return this.db.getRepository(OutboxMessage).findOne({
      where: { interviewId: first.interviewId, channel: 'slack', state: 'scheduled', slotAt: MoreThan(new Date()), kind: first.kind, leaseOwner: IsNull() },
      select: { id: true, dueAt: true },
      order: { slotAt: 'ASC' },
    });
  }
}
