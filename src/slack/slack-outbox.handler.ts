import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CLOCK, Clock } from '../common/clock';
import { DeliveryError } from '../common/errors';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config.schema';
import { Interview } from '../interviews/entities/interview.entity';
import { Project } from '../interviews/entities/project.entity';
import { OutboxMessage } from '../notifications/outbox.entity';
import { OutboxService } from '../notifications/outbox.service';
import { HandleResult, OutboxHandler } from '../notifications/outbox.types';
import { CardService } from './card.service';
import { SLACK_API } from './slack.tokens';
import { SlackApi } from './slack-api';
import { buildCard } from './views/card.view';

/** While a bulk invitation is sending, the card is refreshed this often to show progress. */
const PROGRESS_REFRESH_MS = 1000;
/** A thread reply waits for its card to be posted. */
const CARD_WAIT_MS = 500;

/**
 * Slack's outbox kinds: `slack.card_post` (the first post of an interview's card), `slack.card` (edit in place),
 * `slack.thread` (a reply under the card), `slack.dm` (a message to a user).
 */
@Injectable()
export class SlackOutboxHandler implements OutboxHandler, OnModuleInit {
  constructor(
    private readonly db: DataSource,
    private readonly outbox: OutboxService,
    private readonly cards: CardService,
    @Inject(SLACK_API) private readonly slack: SlackApi,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit() {
    for (const kind of ['slack.card_post', 'slack.card', 'slack.thread', 'slack.dm']) this.outbox.register(kind, this);
  }

  async handle(msg: OutboxMessage): Promise<HandleResult> {
    switch (msg.kind) {
      case 'slack.card_post':
      case 'slack.card':
        return this.card(msg);
      case 'slack.thread':
        return this.thread(msg);
      default: {
        const p = msg.payload as { user: string; text: string; blocks?: unknown[] };
        const res = await this.slack.call<{ ts: string }>('chat.postMessage', { channel: p.user, text: p.text, blocks: p.blocks });
        return { state: 'sent', providerMessageId: res.ts };
      }
    }
  }

  private async card(msg: OutboxMessage): Promise<HandleResult> {
    const model = await this.cards.cardModel(msg.interviewId!);
    if (!model) return { state: 'skipped', reason: 'the interview no longer exists' };
    const interview = await this.db.getRepository(Interview).findOneByOrFail({ id: msg.interviewId! });
    const card = buildCard(model, { reminderZone: this.config.reminder.zone, now: this.clock.now() });
    let ts = interview.slackTs;
    if (!ts) {
      if (msg.kind !== 'slack.card_post') throw DeliveryError.temporary('the card is not posted yet', CARD_WAIT_MS);
      const project = await this.db.getRepository(Project).findOneByOrFail({ id: interview.projectId });
      const res = await this.slack.call<{ ts: string; channel: string }>('chat.postMessage', { channel: project.slackChannelId, text: card.text, blocks: card.blocks, unfurl_links: false });
      ts = res.ts;
      await this.db.getRepository(Interview).update({ id: interview.id }, { slackChannel: res.channel, slackTs: res.ts });
    } else {
      await this.slack.call('chat.update', { channel: interview.slackChannel, ts, text: card.text, blocks: card.blocks });
    }
    if (model.progress) {
      await this.outbox.enqueue(this.db.manager, [{ kind: 'slack.card', channel: 'slack', interviewId: interview.id, payload: {}, dueAt: new Date(this.clock.now().getTime() + PROGRESS_REFRESH_MS) }]);
    }
    return { state: 'sent', providerMessageId: ts };
  }

  private async thread(msg: OutboxMessage): Promise<HandleResult> {
    const interview = await this.db.getRepository(Interview).findOneBy({ id: msg.interviewId! });
    if (!interview) return { state: 'skipped', reason: 'the interview no longer exists' };
    if (!interview.slackTs) throw DeliveryError.temporary('the card is not posted yet', CARD_WAIT_MS);
    const p = msg.payload as { text: string };
    const res = await this.slack.call<{ ts: string }>('chat.postMessage', { channel: interview.slackChannel, thread_ts: interview.slackTs, text: p.text, unfurl_links: false });
    return { state: 'sent', providerMessageId: res.ts };
  }
}
