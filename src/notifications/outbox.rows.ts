import type { EntityManager } from 'typeorm';
import { dbDate } from '../database/db-date';
import { deferWrite } from '../database/transaction';
import type { NewOutboxMessage } from './outbox.types';

const INSERT_CHUNK = 200;
const COLUMNS = ['kind', 'channel', 'payload', 'dueAt', 'interviewId', 'invitationId', 'state', 'lastError', 'attempts', 'createdAt', 'updatedAt', 'mergeKey'];
const insertSqls = new Map<string, string>();
type Dialect = 'mysql' | 'sqlite';

function dialectOf(m: EntityManager): Dialect {
  const type = m.connection.options.type;
  return type === 'mysql' || type === 'mariadb' ? 'mysql' : 'sqlite';
}

/**
 * One INSERT of `n` outbox rows (plain SQL: building it through TypeORM cost more than running it). With `merge`,
 * a row whose mergeKey is taken by a waiting row is not added: the waiting row stands for it.
 */
function insertSql(n: number, merge: Dialect | null): string {
  const key = `${n}:${merge}`;
  let sql = insertSqls.get(key);
  if (!sql) {
    const row = `(${COLUMNS.map(() => '?').join(', ')})`;
    sql = `INSERT INTO outbox (${COLUMNS.join(', ')}) VALUES ${Array.from({ length: n }, () => row).join(', ')}`;
    if (merge === 'mysql') sql += ' ON DUPLICATE KEY UPDATE id = id';
    if (merge === 'sqlite') sql += ' ON CONFLICT (mergeKey) DO NOTHING';
    insertSqls.set(key, sql);
  }
  return sql;
}

/** Writes outbox rows (with the caller's transaction's commit when there is one); rows with a mergeKey join a waiting row of their key. */
export async function insertOutboxRows(manager: EntityManager, messages: NewOutboxMessage[], now: Date): Promise<void> {
  const db = manager.connection;
  const at = dbDate(db, now);
  const merging = messages.filter((m) => m.mergeKey);
  for (const list of merging.length ? [messages.filter((m) => !m.mergeKey), merging] : [messages]) {
    for (let i = 0; i < list.length; i += INSERT_CHUNK) {
      const chunk = list.slice(i, i + INSERT_CHUNK);
      const params: unknown[] = [];
      for (const m of chunk) {
        params.push(m.kind, m.channel, JSON.stringify(m.payload), dbDate(db, m.dueAt), m.interviewId ?? null, m.invitationId ?? null, m.settled?.state ?? 'scheduled', m.settled?.reason ?? null, 0, at, at, m.mergeKey ?? null);
      }
      await deferWrite(manager, insertSql(chunk.length, list === merging ? dialectOf(manager) : null), params);
    }
  }
}

export interface SettleWhere {
  invitationIds?: number[];
  interviewId?: number;
  kinds: string[];
}

/** Settles scheduled rows without sending them; a settled row gives up its mergeKey. */
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
  const sql = `UPDATE outbox SET state = ?, lastError = ?, updatedAt = ?, leaseOwner = NULL, leaseUntil = NULL, mergeKey = NULL WHERE ${conditions.join(' AND ')}`;
  await deferWrite(manager, sql, params);
}
