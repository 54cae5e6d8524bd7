import { Inject, Injectable } from '@nestjs/common';
import { DataSource, IsNull } from 'typeorm';
import { CLOCK, Clock } from '../common/clock';
import { transactionWithRetry } from '../database/transaction';
import { InterviewsService, candidateName } from '../interviews/interviews.service';
import { Candidate } from '../interviews/entities/candidate.entity';
import { Invitation } from '../interviews/entities/invitation.entity';
import { OutboxMessage } from '../notifications/outbox.entity';
import { emailDeliveryStatus, isFailedDeliveryStatus, isSmsDeliveryStatus, replacesDeliveryStatus } from './delivery-status.rules';

/** Reports that lose a race for one message are weighed again against what won, this many times at most. */
const RACE_ATTEMPTS = 5;

export interface SendgridEvent {
  event?: string;
  sg_message_id?: string;
  outboxId?: string | number;
  reason?: string;
  type?: string;
}

/** Provider delivery feedback onto the message records; a failure is told in the card's thread. */
@Injectable()
export class DeliveryFeedbackService {
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

  async emailEvents(events: SendgridEvent[]): Promise<number> {
    let applied = 0;
    for (const e of events) {
      const status = e.event ? emailDeliveryStatus(e.event) : undefined;
      if (!status) continue;
      const repo = this.db.getRepository(OutboxMessage);
      const id = Number(e.outboxId);
      const row = Number.isSafeInteger(id) && id > 0 ? await repo.findOneBy({ id, channel: 'email' }) : e.sg_message_id ? await repo.findOneBy({ providerMessageId: e.sg_message_id.split('.')[0] }) : null;
      if (!row) continue;
      if (await this.record(row, status, isFailedDeliveryStatus(status) ? `the email ${status === 'bounced' ? 'bounced' : 'was dropped'}${e.reason ? `: ${e.reason}` : ''}` : null)) applied++;
    }
    return applied;
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
