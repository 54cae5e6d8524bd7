import type { DataSource } from 'typeorm';
import { isMysqlDataSource } from '../../database/migrations/engine';
import { transactionWithRetry } from '../../database/transaction';
import { RateLimit } from './rate-limit.entity';

/** A pace: one send per `intervalMs` on average, and up to `burst` at once after a quiet spell. */
export interface Pace {
  intervalMs: number;
  burst: number;
}

/**
 * Reserves the next send slot of `name` for every instance on the database (a generic cell rate algorithm: the row
 * holds the theoretical time of the next send, `nextAt`; a send may run up to `burst - 1` intervals ahead of it).
 * Real time, not the app's clock: providers count in real seconds. The slot's time, now or later; null when another
 * instance changed the row first (SQLite has no row lock; the version tells) and the caller should ask again.
 */
export async function reserveSlot(db: DataSource, name: string, pace: Pace): Promise<number | null> {
  const reserve = isMysqlDataSource(db) ? () => reserveOnMysql(db, name, pace) : () => reserveOnSqlite(db, name, pace);
  const slot = await reserve();
  if (slot !== undefined) return slot;
  // The row is created on its own, not under a locking read: instances that found no row at once would each hold
  // a gap lock there and then wait for one another's insert (MariaDB answers with a deadlock).
  await db.createQueryBuilder().insert().into(RateLimit).values({ name, nextAt: new Date(0), version: 0 }).orIgnore().execute();
  return (await reserve()) ?? null;
}

function slotFor(theoretical: number, now: number, pace: Pace): number {
  return Math.max(now, theoretical - (pace.burst - 1) * pace.intervalMs);
}

/**
 * One statement, so that the row is locked only while it runs (a transaction would hold it across round trips to
 * a busy instance, and the others would queue behind it). The theoretical time it read comes back in a session
 * variable, in the same round trip. Undefined when the row does not exist yet.
 */
async function reserveOnMysql(db: DataSource, name: string, pace: Pace): Promise<number | undefined> {
  const now = Date.now();
  const [header, rows] = (await db.query(
    'UPDATE rate_limits SET nextAt = DATE_ADD(@kallelse_tat := GREATEST(nextAt, CAST(? AS DATETIME(3))), INTERVAL ? MICROSECOND), version = version + 1 WHERE name = ?; SELECT @kallelse_tat AS tat',
    [new Date(now), Math.round(pace.intervalMs * 1000), name],
  )) as [{ affectedRows: number }, { tat: string | Date | null }[]];
  if (!header.affectedRows) return undefined;
  const tat = rows[0].tat;
  // The connection writes and reads DATETIME as UTC (timezone 'Z'); the variable holds its text.
  const theoretical = tat instanceof Date ? tat.getTime() : Date.parse(`${String(tat).replace(' ', 'T')}Z`);
  return slotFor(theoretical, now, pace);
}

/** SQLite: a read and a versioned write; one writer at a time, so no lock is held across instances for long. */
function reserveOnSqlite(db: DataSource, name: string, pace: Pace): Promise<number | null | undefined> {
  return transactionWithRetry(db, async (m) => {
    const row = await m.getRepository(RateLimit).findOneBy({ name });
    if (!row) return undefined;
    const now = Date.now();
    const theoretical = Math.max(now, row.nextAt.getTime());
    const res = await m.getRepository(RateLimit).update({ name, version: row.version }, { nextAt: new Date(theoretical + pace.intervalMs), version: row.version + 1 });
    return res.affected ? slotFor(theoretical, now, pace) : null;
  });
}
