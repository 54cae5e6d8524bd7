import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DataSource, QueryFailedError } from 'typeorm';
import { dataSourceOptions } from './data-source';
import { sqliteStatements } from './sqlite-statements';

describe('statements straight on SQLite', () => {
  let db: DataSource;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kallelse-stmts-'));

  beforeAll(async () => {
    db = new DataSource({ ...dataSourceOptions({ type: 'sqlite', path: path.join(dir, 'db.sqlite') }), entities: [], migrations: [] });
    await db.initialize();
    await db.query('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL UNIQUE, flag INTEGER)');
  });
  afterAll(async () => {
    await db?.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('answers as TypeORM does: rows for a read, changes and the inserted id for a write, booleans as 0/1', () => {
    const s = sqliteStatements(db)!;
    expect(s.run('INSERT INTO t (v, flag) VALUES (?, ?)', ['a', true])).toMatchObject({ rows: undefined, affected: 1, insertId: 1 });
    expect(s.run('UPDATE t SET flag = ? WHERE v IN (?, ?)', [false, 'a', 'b']).affected).toBe(1);
    expect(s.run('SELECT v, flag FROM t', []).rows).toEqual([{ v: 'a', flag: 0 }]);
  });

  it("fails with TypeORM's QueryFailedError carrying the driver's code", () => {
    const s = sqliteStatements(db)!;
    s.run('INSERT OR IGNORE INTO t (v) VALUES (?)', ['dup']);
    let err: unknown;
    try {
      s.run('INSERT INTO t (v) VALUES (?)', ['dup']);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(QueryFailedError);
    expect((err as QueryFailedError & { driverError: { code: string } }).driverError.code).toBe('SQLITE_CONSTRAINT_UNIQUE');
  });

  it('keeps working past the cache bound (statements of many IN-list lengths)', () => {
    const s = sqliteStatements(db)!;
    for (let n = 1; n <= 1200; n++) expect(s.run(`SELECT COUNT(*) AS n FROM t WHERE id IN (${Array(n).fill('?').join(',')})`, Array(n).fill(1)).rows).toEqual([{ n: 1 }]);
  });

  it('follows the DataSource to its new connection when it is initialised again', async () => {
    expect(sqliteStatements(db)!.run('SELECT COUNT(*) AS n FROM t WHERE v = ?', ['a']).rows).toEqual([{ n: 1 }]);
    await db.destroy();
    await db.initialize();
    expect(sqliteStatements(db)!.run('SELECT COUNT(*) AS n FROM t WHERE v = ?', ['a']).rows).toEqual([{ n: 1 }]);
  });

  it('is not used for other engines', () => {
    expect(sqliteStatements(new DataSource({ type: 'mysql', url: 'mysql://localhost/none' }))).toBeNull();
  });
});
