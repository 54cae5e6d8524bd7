import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource, IsNull } from 'typeorm';
import { CLOCK, Clock } from '../common/clock';
import { transactionWithRetry } from '../database/transaction';
import { InterviewsService, candidateName } from '../interviews/interviews.service';
import { Candidate } from '../interviews/entities/candidate.entity';
import { Invitation } from '../interviews/entities/invitation.entity';
import { OutboxMessage } from '../notifications/outbox.entity';
import { isFailedDeliveryStatus, isSmsDeliveryStatus, replacesDeliveryStatus } from './delivery-status.rules';
import { readSendgridEvents } from './sendgrid-events';

/** Reports that lose a race for one message are weighed again against what won, this many times at most. */
const RACE_ATTEMPTS = 5;

/** Provider delivery feedback onto the message records; a failure is told in the card's thread. */
@Injectable()
export class DeliveryFeedbackService {
  private readonly logger = new Logger('DeliveryFeedback');

  constructor(
    private readonly db: DataSource,
    private readonly interviews: InterviewsService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async smsStatus(messageSid: string, status: string, errorCode?: string): Promise<void> {
    if (!messageSid || !isSmsDeliveryStatus(status)) return;
    const row = await this.db.getRepository(OutboxMessage).findOneBy({ providerMessageId: messageSid, channel: 'sms' });
    if (!row) return;
    const code = typeof errorCode === 'string' && /^\d{1,10}$/.test(errorCode) ? ` (Twilio error ${errorCode})` : '';
    await this.record(row, status, isFailedDeliveryStatus(status) ? `the SMS was ${status}${code}` : null);
  }

  /**
   * Applies a batch of the Event Webhook item by item. Each item is idempotent (a status is only ever moved forwards,
   * and a failure is told once, in the same transaction as its status), so SendGrid's retry of a batch that failed
   * half-way changes nothing that was already applied. Items that cannot be applied are skipped and logged.
   */
  async emailEvents(items: readonly unknown[]): Promise<{ applied: number; skipped: number }> {
    const { events, skipped } = readSendgridEvents(items);
    const malformed = skipped.filter((s) => s.malformed);
    if (malformed.length) this.logger.warn({ msg: 'SendGrid events skipped: malformed', count: malformed.length, first: malformed.slice(0, 5).map((s) => `item ${s.index}: ${s.why}`) });
    if (skipped.length > malformed.length) this.logger.debug({ msg: 'SendGrid events skipped: not tracked', count: skipped.length - malformed.length });
    const repo = this.db.getRepository(OutboxMessage);
    let applied = 0;
    for (const e of events) {
      const row = e.outboxId !== null ? await repo.findOneBy({ id: e.outboxId, channel: 'email' }) : await repo.findOneBy({ providerMessageId: e.providerMessageId!, channel: 'email' });
      if (!row) continue;
      const failure = isFailedDeliveryStatus(e.status) ? `the email ${e.status === 'bounced' ? 'bounced' : 'was dropped'}${e.reason ? `: ${e.reason}` : ''}` : null;
      if (await this.record(row, e.status, failure)) applied++;
    }
    return { applied, skipped: skipped.length };
  }

  /** Moves the message's delivery status to `status` if that is forwards; true when it did. */
  private async record(row: OutboxMessage, status: string, failure: string | null): Promise<boolean> {
    let current: OutboxMessage | null = row;
    for (let attempt = 0; current && attempt < RACE_ATTEMPTS; attempt++) {
      if (!replacesDeliveryStatus(current.deliveryStatus, status)) return false;
      if (await this.moveStatus(current, status, failure)) return true;
      current = await this.db.getRepository(OutboxMessage).findOneBy({ id: row.id });
    }
    return false;
  }

  /** Compare-and-set from the status the decision was made on; false when another report got there first. */
  private moveStatus(row: OutboxMessage, status: string, failure: string | null): Promise<boolean> {
    return transactionWithRetry(this.db, async (m) => {
      const res = await m
        .getRepository(OutboxMessage)
        .update({ id: row.id, deliveryStatus: row.deliveryStatus ?? IsNull() }, { deliveryStatus: status, updatedAt: this.clock.now(), ...(failure ? { lastError: failure.slice(0, 500) } : {}) });
      if (!res.affected) return false;
      if (!failure || !row.invitationId) return true;
      const invitation = await m.getRepository(Invitation).findOneBy({ id: row.invitationId });
      const candidate = invitation ? await m.getRepository(Candidate).findOneBy({ id: invitation.candidateId }) : null;
      const what = row.kind === 'reminder.sms' ? 'SMS reminder' : row.kind === 'reminder.email' ? 'email reminder' : row.kind === 'email.cancellation' ? 'cancellation email' : 'invitation email';
      await this.interviews.noteIn(m, row.invitationId, 'delivery_failed', `The ${what} to ${candidate ? candidateName(candidate) : 'the candidate'} did not arrive: ${failure}.`, row.channel);
      return true;
    });
  }
}
