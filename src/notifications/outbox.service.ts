import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { CLOCK, Clock } from '../common/clock';
import { OutboxMessage } from './outbox.entity';
import { NewOutboxMessage, OutboxHandler } from './outbox.types';

const INSERT_CHUNK = 200;

/** Writes side effects in the caller's transaction and keeps the registry of handlers per kind. */
@Injectable()
export class OutboxService {
  private readonly handlers = new Map<string, OutboxHandler>();
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly db: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  register(kind: string, handler: OutboxHandler): void {
    if (this.handlers.has(kind)) throw new Error(`An outbox handler for ${kind} is already registered`);
    this.handlers.set(kind, handler);
  }

  handlerFor(kind: string): OutboxHandler | undefined {
    return this.handlers.get(kind);
  }

  /** Called after a commit that queued work due now, so that it goes out without waiting for the next poll. */
  onQueued(listener: () => void): void {
    this.listeners.add(listener);
  }

  notifyQueued(): void {
    for (const l of this.listeners) l();
  }

  async enqueue(manager: EntityManager, messages: NewOutboxMessage[]): Promise<void> {
    if (messages.length === 0) return;
    const now = this.clock.now();
    const rows = messages.map((m) => ({
      kind: m.kind,
      channel: m.channel,
      payload: m.payload,
      dueAt: m.dueAt,
      interviewId: m.interviewId ?? null,
      invitationId: m.invitationId ?? null,
      state: m.settled?.state ?? ('scheduled' as const),
      lastError: m.settled?.reason ?? null,
      attempts: 0,
      createdAt: now,
      updatedAt: now,
    }));
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
      await manager.createQueryBuilder().insert().into(OutboxMessage).values(rows.slice(i, i + INSERT_CHUNK) as QueryDeepPartialEntity<OutboxMessage>[]).updateEntity(false).execute();
    }
  }

  /**
   * Settles scheduled rows without sending them (cancelled, or skipped with a reason).
   * Rows leased right now are settled too: the dispatcher checks the state before it records a send.
   */
  async settle(manager: EntityManager, where: { invitationIds?: number[]; interviewId?: number; kinds: string[] }, state: 'cancelled' | 'skipped', reason: string): Promise<number> {
    const qb = manager
      .createQueryBuilder()
      .update(OutboxMessage)
      .set({ state, lastError: reason, updatedAt: this.clock.now(), leaseOwner: null, leaseUntil: null })
      .where({ state: 'scheduled', kind: In(where.kinds) });
    if (where.invitationIds) qb.andWhere({ invitationId: In(where.invitationIds.length ? where.invitationIds : [-1]) });
    if (where.interviewId !== undefined) qb.andWhere({ interviewId: where.interviewId });
    const res = await qb.execute();
    return res.affected ?? 0;
  }

  repository(manager: EntityManager = this.db.manager) {
    return manager.getRepository(OutboxMessage);
  }
}
