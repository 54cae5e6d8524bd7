import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { DateTime } from 'luxon';
import { DataSource, EntityManager } from 'typeorm';
import { CLOCK, Clock } from '../common/clock';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config.schema';
import { SmsNumber } from '../interviews/entities/sms-number.entity';
import { candidateName, InterviewsService } from '../interviews/interviews.service';
import { InvitationContext, InvitationMailer } from '../interviews/invitation-mailer.service';
import { formatDate, formatTime, interviewTypeLabel } from '../notifications/email/interview-values';
import { OutboxMessage } from '../notifications/outbox.entity';
import { OutboxService } from '../notifications/outbox.service';
import { HandleResult, OutboxHandler } from '../notifications/outbox.types';
import { SMS_TRANSPORT, SmsTransport } from '../notifications/transports/transport.types';
import { ProviderRateLimiter } from '../notifications/rate-limit/provider-rate-limiter';
import { reminderSkipReason } from './reminder-skip.rules';
import { smsReminderText } from './sms-text';

/** Latest local hour at which an SMS may still arrive; Twilio drops it after the validity period. */
const QUIET_FROM_HOUR = 21;
const MAX_VALIDITY_S = 36_000;

/** Sends due reminders, or records why not (SPEC §2.3: never after the start, never to a declined/withdrawn/cancelled/waiting invitation, never to an opted-out number). */
@Injectable()
export class ReminderHandlers implements OnModuleInit {

  constructor(
    private readonly db: DataSource,
    private readonly outbox: OutboxService,
    private readonly mailer: InvitationMailer,
    private readonly interviews: InterviewsService,
    @Inject(SMS_TRANSPORT) private readonly sms: SmsTransport,
    private readonly limiter: ProviderRateLimiter,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit() {
    const failed = (what: string) => (msg: OutboxMessage, reason: string, m: EntityManager) => this.failed(what, msg, reason, m);
    const prefetch = (rows: OutboxMessage[]) => this.mailer.prefetch(rows.map((r) => r.invitationId!).filter(Boolean));
    this.outbox.register('reminder.email', {
      prefetch,
      handle: (msg) => this.email(msg),
      batchKey: (msg) => (msg.interviewId ? `interview:${msg.interviewId}` : null),
      handleBatch: (msgs) => this.emails(msgs),
      failed: failed('email reminder'),
    } satisfies OutboxHandler);
    this.outbox.register('reminder.sms', { prefetch, handle: (msg) => this.smsReminder(msg), failed: failed('SMS reminder') } satisfies OutboxHandler);
  }

  private async guard(msg: OutboxMessage): Promise<{ ctx: InvitationContext } | { skip: string }> {
    const ctx = await this.mailer.context(msg.invitationId!);
    if (!ctx) return { skip: 'the invitation no longer exists' };
    const mobile = ctx.candidate.mobile;
    const optedOut = msg.channel === 'sms' && mobile ? ((await this.db.getRepository(SmsNumber).findOneBy({ phone: mobile }))?.optedOut ?? false) : false;
    const skip = reminderSkipReason(
      { channel: msg.channel === 'sms' ? 'sms' : 'email', interviewStatus: ctx.interview.status, invitationStatus: ctx.invitation.status, startsAt: ctx.interview.startsAt, mobile, optedOut },
      this.clock.now(),
    );
    return skip ? { skip } : { ctx };
  }

  private async email(msg: OutboxMessage): Promise<HandleResult> {
    const g = await this.guard(msg);
    if ('skip' in g) return { state: 'skipped', reason: g.skip };
    const receipt = await this.mailer.send(g.ctx, 'reminder', (msg.payload.token as string | null) ?? null, msg.id);
    return { state: 'sent', providerMessageId: receipt.providerMessageId, payload: withoutToken(msg.payload) };
  }

  /** Email reminders of one interview: those still due go out together where the transport can (one request). */
  private async emails(msgs: OutboxMessage[]): Promise<(HandleResult | Error)[]> {
    const out: (HandleResult | Error)[] = new Array(msgs.length);
    const sending: { i: number; ctx: InvitationContext; token: string | null; outboxId: number }[] = [];
    await Promise.all(
      msgs.map(async (msg, i) => {
        try {
          const g = await this.guard(msg);
          if ('skip' in g) out[i] = { state: 'skipped', reason: g.skip };
          else sending.push({ i, ctx: g.ctx, token: (msg.payload.token as string | null) ?? null, outboxId: msg.id });
        } catch (err) {
          out[i] = err as Error;
        }
      }),
    );
    const receipts = await this.mailer.sendMany('reminder', sending);
    sending.forEach((s, k) => {
      const r = receipts[k];
      out[s.i] = r instanceof Error ? r : { state: 'sent', providerMessageId: r.providerMessageId, payload: withoutToken(msgs[s.i].payload) };
    });
    return out;
  }

  private async smsReminder(msg: OutboxMessage): Promise<HandleResult> {
    const g = await this.guard(msg);
    if ('skip' in g) return { state: 'skipped', reason: g.skip };
    const { ctx } = g;
    const to = ctx.candidate.mobile!;
    const lang = ctx.candidate.language;
    const iv = ctx.interview;
    const body = smsReminderText({
      language: lang,
      candidateFirstName: ctx.candidate.firstName,
      interviewType: interviewTypeLabel(iv.type, lang).toLowerCase(),
      dateText: formatDate(iv.startsAt, iv.timezone, lang),
      timeText: formatTime(iv.startsAt, iv.timezone, lang),
      location: iv.location,
      ref: ctx.invitation.ref,
      senderName: ctx.senderName,
    });
    if (this.config.twilio) await this.limiter.take('twilio.sms', this.config.twilio.perSecond);
    const receipt = await this.sms.send({ to, body, outboxId: msg.id, validityPeriod: this.validitySeconds(iv.startsAt) });
    return { state: 'sent', providerMessageId: receipt.providerMessageId };
  }

  /** Until 21:00 in the reminder zone or the interview's start, whichever comes first, so that nothing arrives at night. */
  validitySeconds(startsAt: Date): number {
    const now = DateTime.fromJSDate(this.clock.now()).setZone(this.config.reminder.zone);
    let quiet = now.set({ hour: QUIET_FROM_HOUR, minute: 0, second: 0, millisecond: 0 });
    if (quiet <= now) quiet = quiet.plus({ days: 1 });
    const until = Math.min(quiet.toMillis(), startsAt.getTime());
    return Math.max(60, Math.min(MAX_VALIDITY_S, Math.floor((until - now.toMillis()) / 1000)));
  }

  private async failed(what: string, msg: OutboxMessage, reason: string, m: EntityManager) {
    if (!msg.invitationId) return;
    const ctx = await this.mailer.context(msg.invitationId);
    await this.interviews.noteIn(m, msg.invitationId, 'delivery_failed', `The ${what} to ${ctx ? candidateName(ctx.candidate) : 'the candidate'} could not be sent: ${reason}`, msg.channel);
  }
}

/** A sent reminder keeps what it was for, not the candidate's link. */
function withoutToken(payload: Record<string, unknown>): Record<string, unknown> {
  return payload.for === undefined ? {} : { for: payload.for };
}
