import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DataSource } from 'typeorm';
import { loadConfig } from '../config/config.schema';
import { dataSourceOptions } from './data-source';
import { startSqliteCheckpointer } from './sqlite-checkpointer';

/** SQLite only: the worker copies the WAL into the database file, so that the app's COMMITs need not. */
describe('startSqliteCheckpointer', () => {
  let dir: string;
  let file: string;
  let db: DataSource;
  let config: ReturnType<typeof loadConfig>;
  let checkpointer: { stop(): Promise<void> } | null = null;
  const log = { warn: jest.fn(), error: jest.fn() };

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kallelse-ckpt-'));
    file = path.join(dir, 'db.sqlite');
    config = loadConfig({ DATABASE_URL: `sqlite:${file}` });
    db = new DataSource({ ...dataSourceOptions(config.database), entities: [], migrations: [] });
    await db.initialize();
    await db.query('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)');
  });
  afterEach(async () => {
    await checkpointer?.stop();
    checkpointer = null;
    if (db.isInitialized) await db.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const pragma = async (p: string) => Object.values((await db.query(`PRAGMA ${p}`))[0] as object)[0] as unknown;
  const writeMegabytes = async (mb: number) => {
    const row = 'x'.repeat(4000);
    await db.transaction(async (m) => {
      for (let i = 0; i < mb * 256; i++) await m.query('INSERT INTO t (v) VALUES (?)', [row]);
    });
  };
  const waitFor = async (check: () => boolean, ms: number) => {
    const until = Date.now() + ms;
    while (!check() && Date.now() < until) await new Promise((r) => setTimeout(r, 25));
    return check();
  };

  it('copies committed pages into the database file on its own, while the app connection no longer checkpoints at 1,000 pages', async () => {
    checkpointer = startSqliteCheckpointer(db, config.database, log);
    expect(Number(await pragma('wal_autocheckpoint'))).toBeGreaterThan(1000);
    const before = fs.statSync(file).size;
    await writeMegabytes(8);
    expect(await waitFor(() => fs.statSync(file).size >= before + 8 * 1024 * 1024, 5000)).toBe(true);
    expect(Number((await db.query('SELECT COUNT(*) AS n FROM t'))[0].n)).toBe(8 * 256);
    expect(log.warn).not.toHaveBeenCalled();
  });

  it('stops its worker on shutdown; the database closes cleanly and opens again with every row', async () => {
    checkpointer = startSqliteCheckpointer(db, config.database, log);
    await writeMegabytes(1);
    await checkpointer!.stop();
    await db.destroy();
    expect(fs.existsSync(`${file}-wal`)).toBe(false);
    await db.initialize();
    expect(Number((await db.query('SELECT COUNT(*) AS n FROM t'))[0].n)).toBe(256);
  });

  it('leaves an in-memory database to SQLite', async () => {
    const config = loadConfig({ DATABASE_URL: 'sqlite::memory:' });
    const mem = new DataSource({ ...dataSourceOptions(config.database), entities: [], migrations: [] });
    await mem.initialize();
    expect(startSqliteCheckpointer(mem, config.database, log)).toBeNull();
    expect(Object.values((await mem.query('PRAGMA wal_autocheckpoint'))[0] as object)[0]).toBe(1000);
    await mem.destroy();
  });
});
