import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { CLOCK, Clock } from '../common/clock';
import { afterCommit, beforeCommit, inTransaction } from '../database/transaction';
import { OutboxMessage } from './outbox.entity';
import { insertOutboxRows, SettleWhere, settleOutboxRows } from './outbox.rows';
import { NewOutboxMessage, OutboxHandler } from './outbox.types';

/** Writes side effects in the caller's transaction and keeps the registry of handlers per kind. */
@Injectable()
export class OutboxService {
  private readonly handlers = new Map<string, OutboxHandler>();
  private readonly listeners = new Set<(dueAt: Date) => void>();
  /** Rows queued in a transaction, written just before it commits. */
  private readonly pending = new WeakMap<EntityManager, NewOutboxMessage[]>();

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

  /** `listener` hears, once the rows are committed, when the earliest of newly queued rows is due. */
  onQueued(listener: (dueAt: Date) => void): void {
    this.listeners.add(listener);
  }

  /**
   * Queues rows in the caller's transaction. Inside `transaction()` they are written in one INSERT just before it
   * commits (with everything else the transaction queued); elsewhere at once.
   */
  async enqueue(manager: EntityManager, messages: NewOutboxMessage[]): Promise<void> {
    if (messages.length === 0) return;
    if (!inTransaction(manager)) return this.write(manager, messages);
    let pending = this.pending.get(manager);
    if (!pending) {
      const rows: NewOutboxMessage[] = [];
      pending = rows;
      this.pending.set(manager, rows);
      beforeCommit(manager, () => this.write(manager, rows));
    }
    pending.push(...messages);
  }

  private async write(manager: EntityManager, messages: NewOutboxMessage[]): Promise<void> {
    await insertOutboxRows(manager, messages, this.clock.now());
    let earliest: Date | null = null;
    for (const m of messages) if (!m.settled && (!earliest || m.dueAt < earliest)) earliest = m.dueAt;
    if (earliest) {
      const due = earliest;
      afterCommit(manager, () => this.listeners.forEach((l) => l(due)));
    }
  }

  /**
   * Settles scheduled rows without sending them (cancelled, or skipped with a reason).
   * Rows leased right now are settled too: the dispatcher checks the state before it records a send.
   * In a transaction the update goes with the commit (before rows enqueued in the same transaction), else at once.
   */
  async settle(manager: EntityManager, where: SettleWhere, state: 'cancelled' | 'skipped', reason: string): Promise<void> {
    await settleOutboxRows(manager, where, state, reason, this.clock.now());
  }

  repository(manager: EntityManager = this.db.manager) {
    return manager.getRepository(OutboxMessage);
  }
}
