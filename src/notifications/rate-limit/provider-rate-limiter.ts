import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { transactionWithRetry } from '../../database/transaction';
import { RateLimit } from './rate-limit.entity';

const ARRIVAL_JITTER_ALLOWANCE_MS = 150;

/**
 * Spaces sends to one provider across all instances: each send takes the next slot from a row in the database
 * (locked while it is taken) and waits for it. Real time, not the app's clock: the provider counts in real seconds.
 */
@Injectable()
export class ProviderRateLimiter {
  private readonly isMysql: boolean;

  constructor(private readonly db: DataSource) {
    this.isMysql = db.options.type === 'mysql' || db.options.type === 'mariadb';
  }

  async take(name: string, perSecond: number): Promise<void> {
    // `perSecond` slots span 1 s plus the allowance: a send may reach the provider up to that much later than its
    // slot (event loop, network) and a 1-s window at the provider still never holds more than `perSecond`.
    const interval = (1000 + ARRIVAL_JITTER_ALLOWANCE_MS) / perSecond;
    for (let attempt = 0; ; attempt++) {
      if (attempt > 20) throw new Error(`Could not take a send slot for ${name}`);
      const slot = await this.reserve(name, interval);
      if (slot === null) continue;
      const wait = slot - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      // A slot this process woke up too late for (a stalled event loop: a long GC, SQLite waiting for another
      // process's lock) is given up: sent now, it could fall in one second with the slots after it.
      if (Date.now() - slot <= ARRIVAL_JITTER_ALLOWANCE_MS / 2) return;
    }
  }

  /** The slot taken, or null when another instance took the row first (SQLite has no row lock; the version tells). */
  private reserve(name: string, interval: number): Promise<number | null> {
    return transactionWithRetry(this.db, async (m) => {
      const qb = m.getRepository(RateLimit).createQueryBuilder('r').where('r.name = :name', { name });
      if (this.isMysql) qb.setLock('pessimistic_write');
      const row = await qb.getOne();
      const now = Date.now();
      const next = Math.max(now, row?.nextAt.getTime() ?? 0);
      if (!row) {
        await m.getRepository(RateLimit).upsert({ name, nextAt: new Date(next + interval), version: 0 }, ['name']);
        return next;
      }
      const res = await m.getRepository(RateLimit).update({ name, version: row.version }, { nextAt: new Date(next + interval), version: row.version + 1 });
      return res.affected ? next : null;
    });
  }
}
