import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { DateTime } from 'luxon';
import { EntityManager, IsNull } from 'typeorm';
import { CLOCK, Clock } from '../common/clock';
import { InterviewHooks, InterviewListener } from '../interviews/interview.hooks';
import { candidateName } from '../interviews/interviews.service';
import { OutboxMessage } from '../notifications/outbox.entity';
import { OutboxService } from '../notifications/outbox.service';
import type { NewOutboxMessage } from '../notifications/outbox.types';
import { buildThreadText, ThreadEvent } from './views/card.view';

/** Turns the domain's changes into Slack work in the outbox: the card edited in place and a reply in its thread. */
@Injectable()
export class SlackNotifier implements InterviewListener, OnModuleInit {
  constructor(
    private readonly hooks: InterviewHooks,
    private readonly outbox: OutboxService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

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
    await this.outbox.enqueue(m, [...(await this.cardRefresh(m, e.interview.id)), { kind: 'slack.thread', channel: 'slack', interviewId: e.interview.id, payload: { text }, dueAt: this.clock.now() }]);
  }

  async rescheduled(m: EntityManager, e: Parameters<NonNullable<InterviewListener['rescheduled']>>[1]) {
    await this.refreshCard(m, e.interview.id);
    const when = DateTime.fromJSDate(e.interview.startsAt).setZone(e.interview.timezone).toFormat('ccc d LLL yyyy HH:mm');
    await this.thread(m, e.interview.id, { kind: 'rescheduled', by: e.by, detail: `New time: ${when} (${e.interview.timezone}). ${e.invitations.length} candidate(s) asked to answer again.` });
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
      await this.thread(m, e.interview.id, { kind: 'free_text', candidate: candidateName(e.candidate), text: e.text, recruiterIds });
    } else {
      await this.refreshCard(m, e.interview.id);
      await this.thread(m, e.interview.id, { kind: 'delivery_failed', candidate: candidateName(e.candidate), channel: /sms/i.test(e.text) ? 'sms' : 'email', reason: e.text, recruiterIds });
    }
  }

  /** One pending card edit per interview is enough: it renders the state at the moment it is sent. */
  async refreshCard(m: EntityManager, interviewId: number) {
    await this.outbox.enqueue(m, await this.cardRefresh(m, interviewId));
  }

  private async cardRefresh(m: EntityManager, interviewId: number): Promise<NewOutboxMessage[]> {
    const pending = await m.getRepository(OutboxMessage).exists({ where: { kind: 'slack.card', interviewId, state: 'scheduled', leaseOwner: IsNull() } });
    return pending ? [] : [{ kind: 'slack.card', channel: 'slack', interviewId, payload: {}, dueAt: this.clock.now() }];
  }

  private async thread(m: EntityManager, interviewId: number, event: ThreadEvent) {
    await this.outbox.enqueue(m, [{ kind: 'slack.thread', channel: 'slack', interviewId, payload: { text: buildThreadText(event) }, dueAt: this.clock.now() }]);
  }
}
