import { Inject, Injectable } from '@nestjs/common';
import { DataSource, QueryFailedError } from 'typeorm';
import { CLOCK, Clock } from '../common/clock';
import { Language } from '../common/domain';
import { InboundMessage } from '../interviews/entities/inbound-message.entity';
import { SmsNumber } from '../interviews/entities/sms-number.entity';
import { InterviewsService } from '../interviews/interviews.service';
import { smsAnswerReceipt, smsHelpText } from '../reminders/sms-text';
import { parseSmsReply } from './sms-keyword.parser';

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

  async receive(sms: InboundSms): Promise<string | null> {
    const repo = this.db.getRepository(InboundMessage);
    const seen = await repo.findOneBy({ messageSid: sms.messageSid });
    if (seen) return seen.reply || null;
    try {
      await repo.insert({ messageSid: sms.messageSid, fromNumber: sms.from.slice(0, 20), body: sms.body.slice(0, 1600), invitationId: null, reply: '', receivedAt: this.clock.now() });
    } catch (err) {
      if (err instanceof QueryFailedError) return (await repo.findOneBy({ messageSid: sms.messageSid }))?.reply || null;
      throw err;
    }
    const { reply, invitationId } = await this.apply(sms);
    await repo.update({ messageSid: sms.messageSid }, { reply: reply ?? '', invitationId });
    return reply;
  }

  private async setOptOut(phone: string, optedOut: boolean) {
    await this.db.getRepository(SmsNumber).upsert({ phone, optedOut, updatedAt: this.clock.now() }, ['phone']);
  }

  private async apply(sms: InboundSms): Promise<{ reply: string | null; invitationId: number | null }> {
    const known = await this.interviews.candidateExistsForMobile(sms.from);
    const lang: Language = known?.language ?? 'en';
    const optOut = sms.optOutType?.toUpperCase();
    const parsed = parseSmsReply(sms.body);
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
    const open = await this.interviews.openInvitationsForMobile(sms.from);
    const ref = parsed.kind === 'answer' || parsed.kind === 'help' || parsed.kind === 'free_text' ? parsed.ref : null;
    const target = (ref && open.find((o) => o.invitation.ref === ref)) || open[0];
    if (optOut === 'HELP' || parsed.kind === 'help') return { reply: smsHelpText(lang, target?.invitation.ref ?? null), invitationId: target?.invitation.id ?? null };
    if (!target) return { reply: smsAnswerReceipt(lang, 'already_final'), invitationId: null };
    const tl = target.candidate.language;
    if (parsed.kind === 'answer') {
      const outcome = await this.interviews.applyAnswer({ invitationId: target.invitation.id, answer: parsed.answer, channel: 'sms', raw: sms.body }, target);
      return { reply: outcome.kind === 'refused' ? smsAnswerReceipt(tl, 'already_final') : smsAnswerReceipt(tl, parsed.answer), invitationId: target.invitation.id };
    }
    await this.interviews.note(target.invitation.id, 'free_text', sms.body.trim(), 'sms');
    return { reply: smsAnswerReceipt(tl, 'free_text_forwarded'), invitationId: target.invitation.id };
  }
}
