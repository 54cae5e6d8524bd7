import { DataSource } from 'typeorm';
import { afterCommit, beforeCommit, inTransaction, transaction, transactionWithRetry } from './transaction';

describe('transaction hooks (SQLite in memory)', () => {
  let db: DataSource;
  const count = async () => Number((await db.query('SELECT COUNT(*) AS n FROM t'))[0].n);

  beforeAll(async () => {
    db = new DataSource({ type: 'better-sqlite3', database: ':memory:' });
    await db.initialize();
    await db.query('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)');
  });
  afterAll(() => db.destroy());
  beforeEach(() => db.query('DELETE FROM t'));

  it('runs beforeCommit work inside the transaction, in order, and afterCommit hooks once it has committed', async () => {
    const seen: string[] = [];
    await transaction(db, async (m) => {
      expect(inTransaction(m)).toBe(true);
      beforeCommit(m, async () => {
        seen.push(`before 1 sees ${await count()}`);
        await m.query("INSERT INTO t (v) VALUES ('b1')");
      });
      beforeCommit(m, async () => {
        await m.query("INSERT INTO t (v) VALUES ('b2')");
        seen.push('before 2');
      });
      afterCommit(m, () => seen.push('after'));
      await m.query("INSERT INTO t (v) VALUES ('work')");
      seen.push('work done');
    });
    expect(seen).toEqual(['work done', 'before 1 sees 1', 'before 2', 'after']);
    expect((await db.query('SELECT v FROM t ORDER BY id')).map((r: { v: string }) => r.v)).toEqual(['work', 'b1', 'b2']);
  });

  it('rolls back what beforeCommit wrote and never runs afterCommit when the transaction fails', async () => {
    const after = jest.fn();
    await expect(
      transaction(db, async (m) => {
        beforeCommit(m, async () => {
          await m.query("INSERT INTO t (v) VALUES ('b')");
          throw new Error('late failure');
        });
        afterCommit(m, after);
        await m.query("INSERT INTO t (v) VALUES ('work')");
      }),
    ).rejects.toThrow('late failure');
    expect(await count()).toBe(0);
    expect(after).not.toHaveBeenCalled();
  });

  it('runs afterCommit at once outside a transaction and refuses beforeCommit there', () => {
    const after = jest.fn();
    afterCommit(db.manager, after);
    expect(after).toHaveBeenCalledTimes(1);
    expect(inTransaction(db.manager)).toBe(false);
    expect(() => beforeCommit(db.manager, async () => undefined)).toThrow(/needs a transaction/);
  });

  it('keeps only the hooks of the attempt that committed when a transaction is run again', async () => {
    const after: number[] = [];
    let attempt = 0;
    await transactionWithRetry(db, async (m) => {
      attempt++;
      afterCommit(m, () => after.push(attempt));
      if (attempt === 1) throw Object.assign(new Error('busy'), { code: 'SQLITE_BUSY' });
      await m.query("INSERT INTO t (v) VALUES ('ok')");
    });
    expect(after).toEqual([2]);
    expect(await count()).toBe(1);
  });
});
