import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CLOCK, Clock } from '../common/clock';
import { InterviewsService, candidateName } from '../interviews/interviews.service';
import { Candidate } from '../interviews/entities/candidate.entity';
import { Invitation } from '../interviews/entities/invitation.entity';
import { OutboxMessage } from '../notifications/outbox.entity';

const SMS_FAILURES = new Set(['undelivered', 'failed']);
const EMAIL_FAILURES = new Set(['bounce', 'dropped']);
const EMAIL_STATUS: Record<string, string> = { delivered: 'delivered', bounce: 'bounced', dropped: 'dropped', deferred: 'deferred', processed: 'processed' };

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
    if (!messageSid || !status) return;
    const row = await this.db.getRepository(OutboxMessage).findOneBy({ providerMessageId: messageSid });
    if (!row) return;
    await this.record(row, status, SMS_FAILURES.has(status) ? `the SMS was ${status}${errorCode ? ` (Twilio error ${errorCode})` : ''}` : null);
  }

  async emailEvents(events: SendgridEvent[]): Promise<number> {
    let applied = 0;
    for (const e of events) {
      const status = e.event ? EMAIL_STATUS[e.event] : undefined;
      if (!status) continue;
      const repo = this.db.getRepository(OutboxMessage);
      const id = Number(e.outboxId);
      const row = Number.isSafeInteger(id) && id > 0 ? await repo.findOneBy({ id, channel: 'email' }) : e.sg_message_id ? await repo.findOneBy({ providerMessageId: e.sg_message_id.split('.')[0] }) : null;
      if (!row) continue;
      await this.record(row, status, EMAIL_FAILURES.has(e.event!) ? `the email ${status === 'bounced' ? 'bounced' : 'was dropped'}${e.reason ? `: ${e.reason}` : ''}` : null);
      applied++;
    }
    return applied;
  }

  private async record(row: OutboxMessage, status: string, failure: string | null) {
    const previous = row.deliveryStatus;
    if (previous === status) return;
    await this.db.getRepository(OutboxMessage).update({ id: row.id }, { deliveryStatus: status, updatedAt: this.clock.now(), ...(failure ? { lastError: failure.slice(0, 500) } : {}) });
    if (!failure || !row.invitationId) return;
    const invitation = await this.db.getRepository(Invitation).findOneBy({ id: row.invitationId });
    const candidate = invitation ? await this.db.getRepository(Candidate).findOneBy({ id: invitation.candidateId }) : null;
    const what = row.kind === 'reminder.sms' ? 'SMS reminder' : row.kind === 'reminder.email' ? 'email reminder' : row.kind === 'email.cancellation' ? 'cancellation email' : 'invitation email';
    await this.interviews.note(row.invitationId, 'delivery_failed', `The ${what} to ${candidate ? candidateName(candidate) : 'the candidate'} did not arrive: ${failure}.`, row.channel);
  }
}

