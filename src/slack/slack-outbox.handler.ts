import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource, In, IsNull } from 'typeorm';
import { CLOCK, Clock } from '../common/clock';
import { DeliveryError } from '../common/errors';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config.schema';
import { Interview } from '../interviews/entities/interview.entity';
import { OutboxMessage } from '../notifications/outbox.entity';
import { OutboxService } from '../notifications/outbox.service';
import { HandleResult, OutboxHandler } from '../notifications/outbox.types';
import { CardService } from './card.service';
import { threadMessages } from './thread-messages';
import { SLACK_API } from './slack.tokens';
import { SlackApi } from './slack-api';
import { buildCard, CardModel } from './views/card.view';

/** While a bulk invitation is sending, the card is refreshed this often to show progress. */
const PROGRESS_REFRESH_MS = 1000;
/** A thread reply waits for its card to be posted. */
const CARD_WAIT_MS = 500;

/** Rows of one claimed batch that one Slack call serves: the card edits of an interview, or its thread replies. */
interface SharedSend {
  rows: OutboxMessage[];
  result?: Promise<HandleResult>;
  /** When an interview's replies of the batch are several messages: the one card edit they all wait for. */
  cardEdit?: { shown?: Promise<ShownCard | null> };
}

interface ShownCard {
  interview: Interview;
  model: CardModel;
}

/**
 * Slack's outbox kinds: `slack.card_post` (the first post of an interview's card), `slack.card` (edit in place),
 * `slack.thread` (a reply under the card; with `payload.card`, after the card is edited in place), `slack.dm` (a
 * message to a user).
 */
@Injectable()
export class SlackOutboxHandler implements OutboxHandler, OnModuleInit {
  /** Card and thread rows of a claimed batch, by id, to the rows of the same interview and kind they go out with. */
  private readonly shared = new Map<number, SharedSend>();

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

  /**
   * Edits due together of one card are one render; replies due together under one card are one message (or
   * several, each of at most MAX_THREAD_LINES, which share one card edit).
   */
  prefetch(rows: OutboxMessage[]): Promise<void> {
    const byKey = new Map<string, OutboxMessage[]>();
    for (const r of rows) {
      if ((r.kind !== 'slack.thread' && r.kind !== 'slack.card') || r.interviewId == null) continue;
      this.shared.delete(r.id);
      const key = `${r.kind}:${r.interviewId}`;
      byKey.set(key, [...(byKey.get(key) ?? []), r]);
    }
    if (this.shared.size > 10_000) this.shared.clear();
    for (const list of byKey.values()) {
      if (list.length < 2) continue;
      list.sort((a, b) => a.id - b.id);
      const parts = list[0].kind === 'slack.thread' ? threadMessages(list) : [list];
      const cardEdit = parts.length > 1 ? {} : undefined;
      for (const rows of parts) {
        if (rows.length < 2 && !cardEdit) continue;
        const group: SharedSend = { rows, cardEdit };
        for (const r of rows) this.shared.set(r.id, group);
      }
    }
    return Promise.resolve();
  }

  /** The first row of a group to be handled makes the call; the others share its outcome. */
  private together(msg: OutboxMessage, send: (rows: OutboxMessage[], cardEdit?: SharedSend['cardEdit']) => Promise<HandleResult>): Promise<HandleResult> {
    const group = this.shared.get(msg.id);
    if (!group) return send([msg]);
    this.shared.delete(msg.id);
    group.result ??= send(group.rows, group.cardEdit);
    return group.result;
  }

  async handle(msg: OutboxMessage): Promise<HandleResult> {
    switch (msg.kind) {
      case 'slack.card_post':
        return this.card(msg);
      case 'slack.card':
        return this.together(msg, () => this.card(msg));
      case 'slack.thread':
        return this.together(msg, (rows, cardEdit) => this.postThread(msg.interviewId!, rows, cardEdit));
      default: {
        const p = msg.payload as { user: string; text: string; blocks?: unknown[] };
        const res = await this.slack.call<{ ts: string }>('chat.postMessage', { channel: p.user, text: p.text, blocks: p.blocks });
        return { state: 'sent', providerMessageId: res.ts };
      }
    }
  }

  private async card(msg: OutboxMessage): Promise<HandleResult> {
    // Edits queued before the state below is read are covered by this render: they are done with it.
    const covered = msg.kind === 'slack.card' ? await this.waitingEdits(msg.interviewId!) : [];
    const shown = await this.showCard(msg.interviewId!, msg.kind === 'slack.card_post');
    if (!shown) return { state: 'skipped', reason: 'the interview no longer exists' };
    const { interview, model } = shown;
    if (covered.length) {
      const now = this.clock.now();
      await this.db
        .getRepository(OutboxMessage)
        .update({ id: In(covered), kind: 'slack.card', state: 'scheduled', leaseOwner: IsNull() }, { state: 'sent', sentAt: now, updatedAt: now, providerMessageId: interview.slackTs, lastError: null });
    }
    if (model.progress) {
      await this.outbox.enqueue(this.db.manager, [{ kind: 'slack.card', channel: 'slack', interviewId: interview.id, payload: {}, dueAt: new Date(this.clock.now().getTime() + PROGRESS_REFRESH_MS) }]);
    }
    return { state: 'sent', providerMessageId: interview.slackTs! };
  }

  /**
   * Renders the card from the database and edits it in place, or posts it when `mayPost` and it is not posted
   * yet; null when the interview no longer exists. The interview returned carries where the card is.
   */
  private async showCard(interviewId: number, mayPost: boolean): Promise<ShownCard | null> {
    const read = await this.cards.cardModel(interviewId);
    if (!read) return null;
    const { model, interview } = read;
    const card = buildCard(model, { reminderZone: this.config.reminder.zone, now: this.clock.now() });
    if (!interview.slackTs) {
      if (!mayPost) throw await this.cardNotPosted(interview.id);
      const res = await this.slack.call<{ ts: string; channel: string }>('chat.postMessage', { channel: interview.project!.slackChannelId, text: card.text, blocks: card.blocks, unfurl_links: false });
      await this.db.getRepository(Interview).update({ id: interview.id }, { slackChannel: res.channel, slackTs: res.ts });
      Object.assign(interview, { slackChannel: res.channel, slackTs: res.ts });
    } else {
      await this.slack.call('chat.update', { channel: interview.slackChannel, ts: interview.slackTs, text: card.text, blocks: card.blocks });
    }
    return { interview, model };
  }

  /**
   * An edit or reply whose card is still to be posted waits for the post (until its due time, when Slack's 429 has
   * held it back), without using up an attempt.
   */
  private async cardNotPosted(interviewId: number): Promise<DeliveryError> {
    const post = await this.db.getRepository(OutboxMessage).findOne({ where: { interviewId, channel: 'slack', state: 'scheduled', kind: 'slack.card_post' }, select: { id: true, dueAt: true } });
    if (!post) return DeliveryError.temporary('the card is not posted yet', CARD_WAIT_MS);
    return DeliveryError.waiting('waits for its card to be posted', Math.max(0, post.dueAt.getTime() - this.clock.now().getTime()) + CARD_WAIT_MS);
  }

  /** Card edits of this interview that no dispatcher holds. */
  private async waitingEdits(interviewId: number): Promise<number[]> {
    const rows = await this.db.getRepository(OutboxMessage).find({ where: { interviewId, channel: 'slack', state: 'scheduled', kind: 'slack.card', leaseOwner: IsNull() }, select: { id: true } });
    return rows.map((r) => r.id);
  }

  /**
   * The replies in one message; when one of them changes what the card shows (`payload.card`), the card is edited
   * first, once for all the messages of the interview's batch (`cardEdit`).
   */
  private async postThread(interviewId: number, rows: OutboxMessage[], cardEdit?: SharedSend['cardEdit']): Promise<HandleResult> {
    const edit = () => this.showCard(interviewId, false);
    const interview = rows.some((r) => (r.payload as { card?: boolean }).card)
      ? (await (cardEdit ? (cardEdit.shown ??= edit()) : edit()))?.interview
      : await this.db.getRepository(Interview).findOneBy({ id: interviewId });
    if (!interview) return { state: 'skipped', reason: 'the interview no longer exists' };
    if (!interview.slackTs) throw await this.cardNotPosted(interviewId);
    const text = rows.map((r) => (r.payload as { text: string }).text).join('\n');
    const res = await this.slack.call<{ ts: string }>('chat.postMessage', { channel: interview.slackChannel, thread_ts: interview.slackTs, text, unfurl_links: false });
    return { state: 'sent', providerMessageId: res.ts };
  }
}
