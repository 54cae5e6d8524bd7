import { Injectable, OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { DeliveryError } from '../common/errors';
import { OutboxMessage } from '../notifications/outbox.entity';
import { OutboxService } from '../notifications/outbox.service';
import { HandleResult, OutboxHandler } from '../notifications/outbox.types';
import { InterviewsService, candidateName } from './interviews.service';
import { InvitationMailer } from './invitation-mailer.service';

/** Sends the invitation emails (first, rescheduled, resent) and cancellations queued by InterviewsService. */
@Injectable()
export class InvitationEmailHandler implements OutboxHandler, OnModuleInit {
  constructor(
    private readonly outbox: OutboxService,
    private readonly mailer: InvitationMailer,
    private readonly interviews: InterviewsService,
  ) {}

  onModuleInit() {
    this.outbox.register('email.invitation', this);
    this.outbox.register('email.cancellation', this);
  }

  async prefetch(messages: OutboxMessage[]): Promise<void> {
    await this.mailer.prefetch(messages.map((m) => m.invitationId!).filter(Boolean));
  }

  async handle(msg: OutboxMessage): Promise<HandleResult> {
    const ctx = await this.mailer.context(msg.invitationId!);
    if (!ctx) return { state: 'skipped', reason: 'the invitation no longer exists' };
    const cancellation = msg.kind === 'email.cancellation';
    if (!cancellation && ctx.invitation.status === 'cancelled') return { state: 'skipped', reason: 'the interview was cancelled' };
    if (!cancellation && ctx.invitation.status === 'withdrawn') return { state: 'skipped', reason: 'the candidate withdrew' };
    const payload = msg.payload as { token?: string | null; variant?: string };
    if (!cancellation && !payload.token) throw DeliveryError.permanent('the invitation link was already used for an earlier send');
    const kind = cancellation ? 'cancellation' : payload.variant === 'reschedule' ? 'reschedule' : 'invitation';
    const receipt = await this.mailer.send(ctx, kind, payload.token ?? null, msg.id);
    return { state: 'sent', providerMessageId: receipt.providerMessageId, payload: { variant: payload.variant } };
  }

  async failed(msg: OutboxMessage, reason: string, m: EntityManager): Promise<void> {
    if (!msg.invitationId) return;
    const ctx = await this.mailer.context(msg.invitationId);
    const who = ctx ? candidateName(ctx.candidate) : 'the candidate';
    await this.interviews.noteIn(m, msg.invitationId, 'delivery_failed', `The ${msg.kind === 'email.cancellation' ? 'cancellation' : 'invitation'} email to ${who} could not be sent: ${reason}`, 'email');
  }
}
