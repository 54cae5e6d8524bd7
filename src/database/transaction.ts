import type { DataSource, EntityManager } from 'typeorm';

/** MySQL/MariaDB deadlock (1213) and lock wait timeout (1205), SQLite busy: the transaction can simply run again. */
function retryable(err: unknown): boolean {
  const e = err as { errno?: number; code?: string; driverError?: { errno?: number; code?: string } };
  const errno = e?.errno ?? e?.driverError?.errno;
  const code = e?.code ?? e?.driverError?.code;
  return errno === 1213 || errno === 1205 || code === 'ER_LOCK_DEADLOCK' || code === 'ER_LOCK_WAIT_TIMEOUT' || code === 'SQLITE_BUSY';
}

const sqliteQueues = new WeakMap<DataSource, Promise<void>>();

/**
 * A transaction. On SQLite (one connection per process) transactions must not overlap, so they queue here;
 * other engines run them side by side on pooled connections.
 */
export async function transaction<T>(db: DataSource, work: (m: EntityManager) => Promise<T>): Promise<T> {
  if (db.options.type !== 'better-sqlite3') return db.transaction(work);
  const before = sqliteQueues.get(db) ?? Promise.resolve();
  let release!: () => void;
  const mine = new Promise<void>((resolve) => (release = resolve));
  sqliteQueues.set(db, before.then(() => mine));
  await before;
  try {
    return await db.transaction(work);
  } finally {
    release();
  }
}

/** Runs `work` in a transaction, again (up to `attempts` times) when the database chose it as a deadlock victim. `work` must not change state outside. */
export async function transactionWithRetry<T>(db: DataSource, work: (m: EntityManager) => Promise<T>, attempts = 4): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await transaction(db, work);
    } catch (err) {
      if (attempt >= attempts || !retryable(err)) throw err;
      await new Promise((r) => setTimeout(r, 10 * attempt + Math.random() * 20));
    }
  }
}
