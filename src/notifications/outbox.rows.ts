import type { EntityManager } from 'typeorm';
import { dbDate } from '../database/db-date';
import { deferWrite } from '../database/transaction';
import type { NewOutboxMessage } from './outbox.types';

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

/** Writes outbox rows (with the caller's transaction's commit when there is one). */
export async function insertOutboxRows(manager: EntityManager, messages: NewOutboxMessage[], now: Date): Promise<void> {
  const db = manager.connection;
  const at = dbDate(db, now);
  for (let i = 0; i < messages.length; i += INSERT_CHUNK) {
    const chunk = messages.slice(i, i + INSERT_CHUNK);
    const params: unknown[] = [];
    for (const m of chunk) {
      params.push(m.kind, m.channel, JSON.stringify(m.payload), dbDate(db, m.dueAt), m.interviewId ?? null, m.invitationId ?? null, m.settled?.state ?? 'scheduled', m.settled?.reason ?? null, 0, at, at);
    }
    await deferWrite(manager, insertSql(chunk.length), params);
  }
}

export interface SettleWhere {
  invitationIds?: number[];
  interviewId?: number;
  kinds: string[];
}

/** Settles scheduled rows of the given kinds without sending them. */
export async function settleOutboxRows(manager: EntityManager, where: SettleWhere, state: 'cancelled' | 'skipped', reason: string, now: Date): Promise<void> {
  const conditions = ["state = 'scheduled'", `kind IN (${where.kinds.map(() => '?').join(', ')})`];
  const params: unknown[] = [state, reason, dbDate(manager.connection, now), ...where.kinds];
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
