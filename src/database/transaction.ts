import type { DataSource, EntityManager } from 'typeorm';

/** MySQL/MariaDB deadlock (1213) and lock wait timeout (1205), SQLite busy: the transaction can simply run again. */
function retryable(err: unknown): boolean {
  const e = err as { errno?: number; code?: string; driverError?: { errno?: number; code?: string } };
  const errno = e?.errno ?? e?.driverError?.errno;
  const code = e?.code ?? e?.driverError?.code;
  return errno === 1213 || errno === 1205 || code === 'ER_LOCK_DEADLOCK' || code === 'ER_LOCK_WAIT_TIMEOUT' || code === 'SQLITE_BUSY';
}

const sqliteQueues = new WeakMap<DataSource, Promise<void>>();
const commitHooks = new WeakMap<EntityManager, (() => void)[]>();
const preCommitHooks = new WeakMap<EntityManager, (() => Promise<void>)[]>();

/** Whether `m` is the manager of a transaction run by `transaction()`. */
export function inTransaction(m: EntityManager): boolean {
  return commitHooks.has(m);
}

/** Runs `fn` as the last work of the transaction `m` belongs to, before it commits (in the order registered). */
export function beforeCommit(m: EntityManager, fn: () => Promise<void>): void {
  const hooks = preCommitHooks.get(m);
  if (!hooks) throw new Error('beforeCommit needs a transaction run by transaction()');
  hooks.push(fn);
}

/** Runs `fn` once the transaction `m` belongs to has committed (never if it rolls back); at once outside `transaction()`. */
export function afterCommit(m: EntityManager, fn: () => void): void {
  const hooks = commitHooks.get(m);
  if (hooks) hooks.push(fn);
  else fn();
}

async function run<T>(db: DataSource, work: (m: EntityManager) => Promise<T>): Promise<T> {
  let hooks: (() => void)[] = [];
  const body = async (m: EntityManager) => {
    hooks = [];
    const last: (() => Promise<void>)[] = [];
    commitHooks.set(m, hooks);
    preCommitHooks.set(m, last);
    const value = await work(m);
    for (let i = 0; i < last.length; i++) await last[i]();
    return value;
  };
  const result = await db.transaction(body);
  for (const fn of hooks) fn();
  return result;
}

/**
 * A transaction. On SQLite (one connection per process) transactions must not overlap, so they queue here;
 * other engines run them side by side on pooled connections.
 */
export async function transaction<T>(db: DataSource, work: (m: EntityManager) => Promise<T>): Promise<T> {
  if (db.options.type !== 'better-sqlite3') return run(db, work);
  const before = sqliteQueues.get(db) ?? Promise.resolve();
  let release!: () => void;
  const mine = new Promise<void>((resolve) => (release = resolve));
  sqliteQueues.set(db, before.then(() => mine));
  await before;
  try {
    return await run(db, work);
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
