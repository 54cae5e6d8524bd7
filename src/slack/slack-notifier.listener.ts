import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { DateTime } from 'luxon';
import type { EntityManager } from 'typeorm';
import { CLOCK, Clock } from '../common/clock';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config.schema';
import { InterviewHooks, InterviewListener } from '../interviews/interview.hooks';
import { candidateName } from '../interviews/interviews.service';
import { OutboxService } from '../notifications/outbox.service';
import type { NewOutboxMessage } from '../notifications/outbox.types';
import { AnswerSlots } from './answer-slots';
import { buildThreadText, ThreadEvent } from './views/card.view';

/** Turns the domain's changes into Slack work in the outbox: the card edited in place and a reply in its thread. */
@Injectable()
export class SlackNotifier implements InterviewListener, OnModuleInit {
  private readonly slots: AnswerSlots;

  constructor(
    private readonly hooks: InterviewHooks,
    private readonly outbox: OutboxService,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.slots = new AnswerSlots(config.slackAnswerEditsPerMinute);
  }

  onModuleInit() {
    this.hooks.register(this);
  }

  async created(m: EntityManager, e: Parameters<NonNullable<InterviewListener['created']>>[1]) {
    const now = this.clock.now();
    const when = DateTime.fromJSDate(e.interview.startsAt).setZone(e.interview.timezone).toFormat('ccc d LLL HH:mm');
    await this.outbox.enqueue(m, [
      { kind: 'slack.card_post', channel: 'slack', interviewId: e.interview.id, payload: {}, dueAt: now },
      {
        kind: 'slack.dm',
        channel: 'slack',
        interviewId: e.interview.id,
        payload: {
          user: e.interview.createdBy,
          text: `✅ ${e.invitations.length} candidate${e.invitations.length === 1 ? '' : 's'} invited to ${e.project.title} on ${when} (${e.interview.timezone}). ${e.interview.sendEmail ? 'The emails are on their way; ' : 'No email was sent; '}the card in <#${e.project.slackChannelId}> shows every answer.`,
        },
        dueAt: now,
      },
    ]);
  }

  async answered(m: EntityManager, e: Parameters<NonNullable<InterviewListener['answered']>>[1]) {
    const text = buildThreadText({ kind: 'answer', candidate: candidateName(e.candidate), status: e.invitation.status, channel: e.channel, raw: e.channel === 'sms' ? e.raw : null, recruiterIds: e.interview.recruiterIds });
    await this.outbox.enqueue(m, [this.replyWithCard(e.interview.id, text)]);
  }

  async rescheduled(m: EntityManager, e: Parameters<NonNullable<InterviewListener['rescheduled']>>[1]) {
    await this.refreshCard(m, e.interview.id);
    const when = DateTime.fromJSDate(e.interview.startsAt).setZone(e.interview.timezone).toFormat('ccc d LLL yyyy HH:mm');
    const detail = `New time: ${when} (${e.interview.timezone}). ${e.invitations.length} candidate(s) asked to answer again.${e.note ? ` ${e.note}` : ''}`;
    await this.thread(m, e.interview.id, { kind: 'rescheduled', by: e.by, detail });
  }

  async cancelled(m: EntityManager, e: Parameters<NonNullable<InterviewListener['cancelled']>>[1]) {
    await this.refreshCard(m, e.interview.id);
    await this.thread(m, e.interview.id, { kind: 'cancelled', by: e.by, detail: e.notify ? `${e.invitations.length} candidate(s) get a cancellation email.` : 'No email to the candidates.' });
  }

  async resent(m: EntityManager, e: Parameters<NonNullable<InterviewListener['resent']>>[1]) {
    await this.refreshCard(m, e.interview.id);
    await this.thread(m, e.interview.id, { kind: 'resent', by: e.by, detail: `Sent again to ${e.invitations.map((i) => candidateName(i.candidate)).join(', ')}.` });
  }

  async noted(m: EntityManager, e: Parameters<NonNullable<InterviewListener['noted']>>[1]) {
    const recruiterIds = e.interview.recruiterIds;
    if (e.kind === 'free_text') {
      await this.thread(m, e.interview.id, { kind: 'free_text', candidate: candidateName(e.candidate), text: e.text, recruiterIds }, this.endOfWindow(e.interview.id));
    } else {
      const text = buildThreadText({ kind: 'delivery_failed', candidate: candidateName(e.candidate), channel: /sms/i.test(e.text) ? 'sms' : 'email', reason: e.text, recruiterIds });
      await this.outbox.enqueue(m, [this.replyWithCard(e.interview.id, text)]);
    }
  }

  /**
   * A reply in the card's thread that also refreshes the card: one row per change a candidate causes, and the
   * replies of an interview due together are one card edit and one message (SlackOutboxHandler).
   */
  private replyWithCard(interviewId: number, text: string): NewOutboxMessage {
    const dueAt = new Date(this.slots.slotFor(interviewId, this.endOfWindow(interviewId).getTime(), this.clock.now().getTime()));
    return { kind: 'slack.thread', channel: 'slack', interviewId, payload: { text, card: true }, dueAt };
  }

  /**
   * What candidates cause goes out at the end of the current window (SLACK_UPDATE_WINDOW_MS): everything of one
   * interview due at the same moment is one card edit and one thread reply, within Slack's per-channel rate limits
   * however many answer at once. What a recruiter does goes out at once. Each interview's windows are offset by
   * its own phase, so that the edits of many interviews do not all fall due at the same instant.
   */
  private endOfWindow(interviewId: number): Date {
    const now = this.clock.now().getTime();
    const w = this.config.slackUpdateWindowMs;
    if (w <= 0) return new Date(now);
    const phase = (interviewId * 7919) % w;
    return new Date(Math.ceil((now - phase) / w) * w + phase);
  }

  /** A card edit for what a recruiter did; the edits of one interview due together are rendered once (SlackOutboxHandler). */
  async refreshCard(m: EntityManager, interviewId: number) {
    await this.outbox.enqueue(m, [{ kind: 'slack.card', channel: 'slack', interviewId, payload: {}, dueAt: this.clock.now() }]);
  }

  private async thread(m: EntityManager, interviewId: number, event: ThreadEvent, dueAt = this.clock.now()) {
    await this.outbox.enqueue(m, [{ kind: 'slack.thread', channel: 'slack', interviewId, payload: { text: buildThreadText(event) }, dueAt }]);
  }
}
