import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import { CLOCK, Clock } from '../common/clock';
import { Answer, Language } from '../common/domain';
import { dbDate } from '../database/db-date';
import { deferWrite } from '../database/transaction';
import type { AnswerTarget } from '../interviews/interview.commands';
import { InboundMessage } from '../interviews/entities/inbound-message.entity';
import { SmsNumber } from '../interviews/entities/sms-number.entity';
import { InterviewsService } from '../interviews/interviews.service';
import { smsAnswerReceipt, smsHelpText } from '../reminders/sms-text';
import { parseSmsReply, SmsReply } from './sms-keyword.parser';
import { smsTarget } from './sms-target.rules';

export interface InboundSms {
  messageSid: string;
  from: string;
  body: string;
  /** Twilio's Advanced Opt-Out: STOP, START or HELP */
  optOutType?: string;
}

/** Applies an inbound SMS once per MessageSid and says what to answer (in the candidate's language). */
@Injectable()
export class SmsInboundService {
  constructor(
    private readonly db: DataSource,
    private readonly interviews: InterviewsService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * An answer is recorded with its MessageSid in one transaction; everything else claims the MessageSid first.
   * Either way a message Twilio delivers twice counts once and gets the same reply.
   */
  async receive(sms: InboundSms): Promise<string | null> {
    const optOut = sms.optOutType?.toUpperCase();
    const parsed = parseSmsReply(sms.body);
    // Twilio counts YES among its opt-in words: with Advanced Opt-Out a "YES" comes marked START, and is an answer too.
    if (parsed.kind === 'answer' && (!optOut || optOut === 'START')) {
      const target = smsTarget(await this.interviews.openInvitationsForMobile(sms.from), parsed.ref);
      if (target) {
        if (optOut === 'START') await this.setOptOut(sms.from, false);
        return this.answer(sms, parsed.answer, target);
      }
    }
    if (!(await this.claim(sms))) return this.replied(sms.messageSid);
    const { reply, invitationId } = await this.apply(sms, optOut, parsed);
    await this.db.getRepository(InboundMessage).update({ messageSid: sms.messageSid }, { reply: reply ?? '', invitationId });
    return reply;
  }

  private async answer(sms: InboundSms, answer: Answer, target: AnswerTarget): Promise<string | null> {
    const tl = target.candidate.language;
    const recorded = smsAnswerReceipt(tl, answer);
    try {
      const outcome = await this.interviews.applyAnswer(
        { invitationId: target.invitation.id, answer, channel: 'sms', raw: sms.body, alsoIn: (m) => this.record(m, sms, recorded, target.invitation.id) },
        target,
      );
      if (outcome.kind === 'recorded') return recorded;
      const reply = outcome.kind === 'refused' ? smsAnswerReceipt(tl, 'already_final') : recorded;
      await this.record(this.db.manager, sms, reply, target.invitation.id);
      return reply;
    } catch (err) {
      if (err instanceof QueryFailedError) {
        const seen = await this.db.getRepository(InboundMessage).findOneBy({ messageSid: sms.messageSid });
        if (seen) return seen.reply || null;
      }
      throw err;
    }
  }

  /** Records the MessageSid (unique: a second delivery of the same message fails here). */
  private async record(m: EntityManager, sms: InboundSms, reply: string, invitationId: number | null): Promise<void> {
    await deferWrite(m, 'INSERT INTO inbound_messages (messageSid, fromNumber, body, invitationId, reply, receivedAt) VALUES (?, ?, ?, ?, ?, ?)', [
      sms.messageSid,
      sms.from.slice(0, 20),
      sms.body.slice(0, 1600),
      invitationId,
      reply,
      dbDate(this.db, this.clock.now()),
    ]);
  }

  /** False when this MessageSid was seen before. */
  private async claim(sms: InboundSms): Promise<boolean> {
    try {
      await this.record(this.db.manager, sms, '', null);
      return true;
    } catch (err) {
      if (err instanceof QueryFailedError && (await this.db.getRepository(InboundMessage).existsBy({ messageSid: sms.messageSid }))) return false;
      throw err;
    }
  }

  private async replied(messageSid: string): Promise<string | null> {
    return (await this.db.getRepository(InboundMessage).findOneBy({ messageSid }))?.reply || null;
  }

  private async setOptOut(phone: string, optedOut: boolean) {
    await this.db.getRepository(SmsNumber).upsert({ phone, optedOut, updatedAt: this.clock.now() }, ['phone']);
  }

  private async apply(sms: InboundSms, optOut: string | undefined, parsed: SmsReply): Promise<{ reply: string | null; invitationId: number | null }> {
    const known = await this.interviews.invitationsForMobile(sms.from);
    const lang: Language = known?.language ?? 'en';
    if (optOut === 'STOP' || (!optOut && parsed.kind === 'opt_out')) {
      await this.setOptOut(sms.from, true);
      // With Advanced Opt-Out Twilio answers STOP itself.
      return { reply: optOut ? null : smsAnswerReceipt(lang, 'opt_out'), invitationId: null };
    }
    if (optOut === 'START' || (!optOut && parsed.kind === 'opt_in')) {
      await this.setOptOut(sms.from, false);
      return { reply: optOut ? null : smsAnswerReceipt(lang, 'opt_in'), invitationId: null };
    }
    if (!known) return { reply: smsAnswerReceipt('en', 'unknown_number'), invitationId: null };
    const open = known.open;
    const ref = parsed.kind === 'answer' || parsed.kind === 'help' || parsed.kind === 'free_text' ? parsed.ref : null;
    const target = smsTarget(open, ref);
    if (optOut === 'HELP' || parsed.kind === 'help') return { reply: smsHelpText(lang, target?.invitation.ref ?? null), invitationId: target?.invitation.id ?? null };
    if (!target) return { reply: smsAnswerReceipt(lang, 'already_final'), invitationId: null };
    const tl = target.candidate.language;
    if (parsed.kind === 'answer') {
      const outcome = await this.interviews.applyAnswer({ invitationId: target.invitation.id, answer: parsed.answer, channel: 'sms', raw: sms.body }, target);
      return { reply: outcome.kind === 'refused' ? smsAnswerReceipt(tl, 'already_final') : smsAnswerReceipt(tl, parsed.answer), invitationId: target.invitation.id };
    }
    if (!sms.body.trim()) return { reply: smsHelpText(tl, target.invitation.ref), invitationId: target.invitation.id };
    await this.interviews.note(target.invitation.id, 'free_text', sms.body.trim(), 'sms');
    return { reply: smsAnswerReceipt(tl, 'free_text_forwarded'), invitationId: target.invitation.id };
  }
}
