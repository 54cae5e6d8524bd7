import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { CLOCK, Clock } from '../common/clock';
import { dbDate } from '../database/db-date';
import { afterCommit, beforeCommit, deferWrite, inTransaction } from '../database/transaction';
import { OutboxMessage } from './outbox.entity';
import { NewOutboxMessage, OutboxHandler } from './outbox.types';

const INSERT_CHUNK = 200;
const COLUMNS = ['kind', 'channel', 'payload', 'dueAt', 'interviewId', 'invitationId', 'state', 'lastError', 'attempts', 'createdAt', 'updatedAt'];
const insertSqls = new Map<number, string>();

/** One INSERT of `n` outbox rows (plain SQL: building it through TypeORM cost more than running it). */
function insertSql(n: number): string {
  let sql = insertSqls.get(n);
  if (!sql) {
    const row = `(${COLUMNS.map(() => '?').join(', ')})`;
    sql = `INSERT INTO outbox (${COLUMNS.join(', ')}) VALUES ${Array.from({ length: n }, () => row).join(', ')}`;
    insertSqls.set(n, sql);
  }
  return sql;
}

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
    const now = this.clock.now();
    const rows = messages.map((m) => ({ dueAt: m.dueAt, state: m.settled?.state ?? ('scheduled' as const) }));
    const at = dbDate(this.db, now);
    for (let i = 0; i < messages.length; i += INSERT_CHUNK) {
      const chunk = messages.slice(i, i + INSERT_CHUNK);
      const params: unknown[] = [];
      for (const m of chunk) {
        params.push(m.kind, m.channel, JSON.stringify(m.payload), dbDate(this.db, m.dueAt), m.interviewId ?? null, m.invitationId ?? null, m.settled?.state ?? 'scheduled', m.settled?.reason ?? null, 0, at, at);
      }
      await deferWrite(manager, insertSql(chunk.length), params);
    }
    let earliest: Date | null = null;
    for (const r of rows) if (r.state === 'scheduled' && (!earliest || r.dueAt < earliest)) earliest = r.dueAt;
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
  async settle(manager: EntityManager, where: { invitationIds?: number[]; interviewId?: number; kinds: string[] }, state: 'cancelled' | 'skipped', reason: string): Promise<void> {
    const conditions = ["state = 'scheduled'", `kind IN (${where.kinds.map(() => '?').join(', ')})`];
    const params: unknown[] = [state, reason, dbDate(this.db, this.clock.now()), ...where.kinds];
    if (where.invitationIds) {
      const ids = where.invitationIds.length ? where.invitationIds : [-1];
      conditions.push(`invitationId IN (${ids.map(() => '?').join(', ')})`);
      params.push(...ids);
    }
    if (where.interviewId !== undefined) {
      conditions.push('interviewId = ?');
      params.push(where.interviewId);
    }
    const sql = `UPDATE outbox SET state = ?, lastError = ?, updatedAt = ?, leaseOwner = NULL, leaseUntil = NULL WHERE ${conditions.join(' AND ')}`;
    await deferWrite(manager, sql, params);
  }

  repository(manager: EntityManager = this.db.manager) {
    return manager.getRepository(OutboxMessage);
  }
}
