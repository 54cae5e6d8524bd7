import { Worker } from 'node:worker_threads';
import { DataSource } from 'typeorm';
import type { DatabaseConfig } from '../config/config.schema';

/** How often the worker copies the WAL into the database file. */
const INTERVAL_MS = 200;
/** A worker that stops keeping up leaves this much WAL (in pages) before the app's own connection checkpoints again. */
const FALLBACK_AUTOCHECKPOINT_PAGES = 16384;
/** A WAL that was reset is truncated back to this size. */
const WAL_SIZE_LIMIT = 64 * 1024 * 1024;

/**
 * The worker's code (plain JavaScript, run with `eval` so that it needs no file of its own next to compiled or
 * ts-jest code). A PASSIVE checkpoint never waits for, nor blocks, the app's writes; it is repeated while writes
 * keep landing during it, so that one finds the WAL fully copied and the app's next write can start it afresh.
 */
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('synchronous = NORMAL');
let failures = 0;
const tick = () => {
  try {
    for (let i = 0; i < 8; i++) {
      const [r] = db.pragma('wal_checkpoint(PASSIVE)');
      if (r.busy || r.log <= r.checkpointed) break;
    }
    failures = 0;
  } catch (err) {
    if (failures++ === 0) parentPort.postMessage({ error: String(err && err.message || err) });
  }
};
const timer = setInterval(tick, workerData.intervalMs);
parentPort.on('message', (m) => {
  if (m !== 'stop') return;
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

/**
 * On a SQLite file, the WAL is copied into the database file by a worker thread with its own connection, instead of
 * by the app's connection inside a COMMIT. better-sqlite3 is synchronous: a checkpoint there (a thousand pages and
 * two fsyncs) stalled every request in flight for 10-20 ms a few times a second under load. The app's connection
 * keeps a far-off automatic checkpoint as a fallback should the worker fall behind or fail.
 * Null for an in-memory database or one not in WAL mode.
 */
export function startSqliteCheckpointer(db: DataSource, database: DatabaseConfig, log: { warn(m: object): void; error(m: object): void }): { stop(): Promise<void> } | null {
  if (database.type !== 'sqlite' || database.path === ':memory:' || database.path === '') return null;
  const connection = (db.driver as unknown as { databaseConnection?: { pragma(s: string, o?: { simple: boolean }): unknown } }).databaseConnection;
  if (!connection || connection.pragma('journal_mode', { simple: true }) !== 'wal') return null;
  const worker = new Worker(WORKER, { eval: true, workerData: { driver: require.resolve('better-sqlite3'), file: database.path, intervalMs: INTERVAL_MS } });
  worker.on('message', (m: { error?: string }) => {
    if (m.error) log.warn({ msg: 'SQLite checkpoint failed; the app connection checkpoints on its own past the fallback size', error: m.error });
  });
  worker.on('error', (err) => log.error({ msg: 'SQLite checkpoint worker stopped', error: err.message }));
  worker.unref();
  connection.pragma(`wal_autocheckpoint = ${FALLBACK_AUTOCHECKPOINT_PAGES}`);
  connection.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT}`);
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  let stopping: Promise<void> | null = null;
  return {
    stop: () =>
      (stopping ??= (async () => {
        worker.postMessage('stop');
        const timeout = setTimeout(() => void worker.terminate(), 2000);
        await exited;
        clearTimeout(timeout);
      })()),
  };
}
