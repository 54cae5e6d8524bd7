import type { DataSource } from 'typeorm';
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
  const mysql = db.options.type === 'mysql' || db.options.type === 'mariadb';
  const read = () =>
    transactionWithRetry(db, async (m) => {
      const qb = m.getRepository(RateLimit).createQueryBuilder('r').where('r.name = :name', { name });
      if (mysql) qb.setLock('pessimistic_write');
      const row = await qb.getOne();
      if (!row) return undefined;
      const now = Date.now();
      const theoretical = Math.max(now, row.nextAt.getTime());
      const slot = Math.max(now, theoretical - (pace.burst - 1) * pace.intervalMs);
      const res = await m.getRepository(RateLimit).update({ name, version: row.version }, { nextAt: new Date(theoretical + pace.intervalMs), version: row.version + 1 });
      return res.affected ? slot : null;
    });
  const slot = await read();
  if (slot !== undefined) return slot;
  // The row is created on its own, not under the locking read: instances that found no row at once would each hold
  // a gap lock there and then wait for one another's insert (MariaDB answers with a deadlock).
  await db.createQueryBuilder().insert().into(RateLimit).values({ name, nextAt: new Date(0), version: 0 }).orIgnore().execute();
  return (await read()) ?? null;
}
