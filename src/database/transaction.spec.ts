import { DataSource } from 'typeorm';
import { dropDatabase, engine, freshDatabase } from '../../test/support/app';
import { dataSourceOptions } from './data-source';
import { afterCommit, batch, batches, beforeCommit, deferRead, deferWrite, execute, guardedWrite, guardStatement, inlineRefs, inTransaction, SqlRef, transaction, transactionWithRetry, WriteConflict } from './transaction';

/** Runs on the suite's engine (DATABASE_URL=mysql://… → MariaDB with the app's own pool options, else SQLite). */
describe(`transactions (${engine()})`, () => {
  let db: DataSource;
  let url: string;
  const count = async () => Number((await db.query('SELECT COUNT(*) AS n FROM t'))[0].n);
  const values = async () => (await db.query('SELECT v FROM t ORDER BY id')).map((r: { v: string }) => r.v);
  const busy = () => (engine() === 'mysql' ? Object.assign(new Error('deadlock'), { errno: 1213 }) : Object.assign(new Error('busy'), { code: 'SQLITE_BUSY' }));

  beforeAll(async () => {
    url = await freshDatabase();
    const config = url.startsWith('mysql://') ? ({ type: 'mysql', url } as const) : ({ type: 'sqlite', path: url.slice('sqlite:'.length) } as const);
    db = new DataSource({ ...dataSourceOptions(config), entities: [], migrations: [] });
    await db.initialize();
    await db.query(
      engine() === 'mysql'
        ? 'CREATE TABLE t (id INT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(20) NOT NULL UNIQUE) ENGINE=InnoDB'
        : 'CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL UNIQUE)',
    );
  });
  afterAll(async () => {
    await db?.destroy();
    await dropDatabase(url);
  });
  beforeEach(() => db.query('DELETE FROM t'));

  it('runs beforeCommit work inside the transaction, in order, and afterCommit hooks once it has committed', async () => {
    const seen: string[] = [];
    await transaction(db, async (m) => {
      expect(inTransaction(m)).toBe(true);
      beforeCommit(m, async () => {
        seen.push(`before 1 sees ${Number((await m.query('SELECT COUNT(*) AS n FROM t'))[0].n)}`);
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
    expect(await values()).toEqual(['work', 'b1', 'b2']);
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
      await m.query("INSERT INTO t (v) VALUES ('ok')");
      if (attempt === 1) throw busy();
    });
    expect(after).toEqual([2]);
    expect(await values()).toEqual(['ok']);
  });

  it('writes deferred statements at commit, after beforeCommit work and in the order queued; at once outside a transaction', async () => {
    await transaction(db, async (m) => {
      await deferWrite(m, 'INSERT INTO t (v) VALUES (?)', ['d1']);
      beforeCommit(m, () => deferWrite(m, 'INSERT INTO t (v) VALUES (?), (?)', ['d3', 'd4']));
      await deferWrite(m, 'INSERT INTO t (v) VALUES (?)', ['d2']);
      expect(Number((await m.query('SELECT COUNT(*) AS n FROM t'))[0].n)).toBe(0);
    });
    expect(await values()).toEqual(['d1', 'd2', 'd3', 'd4']);
    await deferWrite(db.manager, 'INSERT INTO t (v) VALUES (?)', ['now']);
    expect(await count()).toBe(5);
  });

  it('a deferred write that fails at commit rolls back the whole transaction, also what ran at once', async () => {
    await db.query("INSERT INTO t (v) VALUES ('taken')");
    const after = jest.fn();
    const failing = transaction(db, async (m) => {
      expect(await execute(m, 'UPDATE t SET v = ? WHERE v = ?', ['renamed', 'taken'])).toBe(1);
      await m.query("INSERT INTO t (v) VALUES ('work')");
      await deferWrite(m, 'INSERT INTO t (v) VALUES (?)', ['fine']);
      await deferWrite(m, 'INSERT INTO t (v) VALUES (?)', ['fine']);
      afterCommit(m, after);
    });
    await expect(failing).rejects.toThrow(/UNIQUE|Duplicate/i);
    expect(await values()).toEqual(['taken']);
    expect(after).not.toHaveBeenCalled();
    await transaction(db, async (m) => {
      await m.query("INSERT INTO t (v) VALUES ('next')");
    });
    expect(await values()).toEqual(['taken', 'next']);
  });

  it('a failing first statement leaves nothing behind, and the connection serves the next transaction', async () => {
    await db.query("INSERT INTO t (v) VALUES ('a'), ('b')");
    await expect(transaction(db, (m) => execute(m, 'UPDATE t SET v = ? WHERE v = ?', ['a', 'b']))).rejects.toThrow(/UNIQUE|Duplicate/i);
    for (let i = 0; i < 25; i++) {
      await transaction(db, async (m) => {
        expect(await execute(m, 'UPDATE t SET v = ? WHERE v = ?', [`b${i}`, i ? `b${i - 1}` : 'b'])).toBe(1);
      });
    }
    expect(await values()).toEqual(['a', 'b24']);
  });

  it('reports the rows a conditional update changed, and a transaction that only reads commits nothing', async () => {
    await db.query("INSERT INTO t (v) VALUES ('x')");
    const changed = await transaction(db, async (m) => [await execute(m, 'UPDATE t SET v = ? WHERE v = ?', ['y', 'x']), await execute(m, 'UPDATE t SET v = ? WHERE v = ?', ['z', 'x'])]);
    expect(changed).toEqual([1, 0]);
    const read = await transaction(db, async (m) => (await m.query('SELECT v FROM t')).map((r: { v: string }) => r.v));
    expect(read).toEqual(['y']);
    expect(await transaction(db, async () => 'nothing ran')).toBe('nothing ran');
  });

  it('keeps concurrent transactions apart (MariaDB: pooled connections)', async () => {
    await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        transactionWithRetry(db, async (m) => {
          await m.query('INSERT INTO t (v) VALUES (?)', [`c${i}`]);
          await deferWrite(m, 'INSERT INTO t (v) VALUES (?)', [`d${i}`]);
          if (i % 3 === 0) throw new Error(`no ${i}`);
        }).catch((e: Error) => e.message),
      ),
    );
    const v = await values();
    expect(v).toHaveLength(40);
    expect(v.filter((x: string) => /^[cd](\d+)$/.test(x) && Number(x.slice(1)) % 3 === 0)).toEqual([]);
  });

  it('gives each of a burst of transactions its result only once its writes are committed (seen from another connection)', async () => {
    const other = new DataSource({ ...db.options, entities: [], migrations: [] } as typeof db.options);
    await other.initialize();
    try {
      const after: number[] = [];
      const seen = await Promise.all(
        Array.from({ length: 150 }, (_, i) =>
          transaction(db, async (m) => {
            await m.query('INSERT INTO t (v) VALUES (?)', [`g${i}`]);
            afterCommit(m, () => after.push(i));
            if (i % 50 === 7) throw new Error(`no ${i}`);
          }).then(
            async () => Number((await other.query('SELECT COUNT(*) AS n FROM t WHERE v = ?', [`g${i}`]))[0].n),
            () => -1,
          ),
        ),
      );
      expect(seen.filter((n) => n === -1)).toHaveLength(3);
      expect(seen.filter((n) => n !== -1 && n !== 1)).toEqual([]);
      expect(after.sort((a, b) => a - b)).toEqual(Array.from({ length: 150 }, (_, i) => i).filter((i) => i % 50 !== 7));
      expect(await count()).toBe(147);
    } finally {
      await other.destroy();
    }
  });

  it('gives each of concurrent transactions a manager of its own (state kept per transaction never mixes)', async () => {
    const managers = await Promise.all(Array.from({ length: 5 }, (_, i) => transaction(db, async (m) => (await m.query('INSERT INTO t (v) VALUES (?)', [`m${i}`]), m))));
    expect(new Set(managers).size).toBe(5);
    expect(await count()).toBe(5);
  });

  it("a transaction TypeORM runs itself (a repository's save) while another is open is kept, as is the open one", async () => {
    let entered!: () => void;
    const inside = new Promise<void>((resolve) => (entered = resolve));
    const slow = transaction(db, async (m) => {
      await m.query("INSERT INTO t (v) VALUES ('s1')");
      entered();
      await new Promise((resolve) => setTimeout(resolve, 30));
      await m.query("INSERT INTO t (v) VALUES ('s2')");
    });
    await inside;
    await db.transaction((m) => m.query("INSERT INTO t (v) VALUES ('plain')"));
    await slow;
    expect((await values()).sort()).toEqual(['plain', 's1', 's2']);
  });

  it('a guarded write that changes a row lets its transaction commit; one that changes none rolls back all of it with WriteConflict', async () => {
    await db.query("INSERT INTO t (v) VALUES ('x')");
    await transaction(db, async (m) => {
      await m.query("INSERT INTO t (v) VALUES ('first')");
      await guardedWrite(m, 'UPDATE t SET v = ? WHERE v = ?', ['y', 'x']);
      await deferWrite(m, 'INSERT INTO t (v) VALUES (?)', ['after']);
    });
    expect((await values()).sort()).toEqual(['after', 'first', 'y']);
    const after = jest.fn();
    await expect(
      transaction(db, async (m) => {
        await m.query("INSERT INTO t (v) VALUES ('before')");
        await deferWrite(m, 'INSERT INTO t (v) VALUES (?)', ['queued before']);
        await guardedWrite(m, 'UPDATE t SET v = ? WHERE v = ?', ['z', 'x']);
        await deferWrite(m, 'INSERT INTO t (v) VALUES (?)', ['queued after']);
        afterCommit(m, after);
      }),
    ).rejects.toBeInstanceOf(WriteConflict);
    expect((await values()).sort()).toEqual(['after', 'first', 'y']);
    expect(after).not.toHaveBeenCalled();
    await transaction(db, (m) => guardedWrite(m, 'UPDATE t SET v = ? WHERE v = ?', ['z', 'y']));
    expect((await values()).sort()).toEqual(['after', 'first', 'z']);
  });

  it('a burst of transactions whose writes all wait for the commit: a guard that fails or a duplicate key fails only its own transaction', async () => {
    await db.query("INSERT INTO t (v) VALUES ('x'), ('taken')");
    const after: number[] = [];
    const outcomes = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        transaction(db, async (m) => {
          if (i === 3) await guardedWrite(m, 'UPDATE t SET v = ? WHERE v = ?', ['never', 'not there']);
          if (i === 5) await guardedWrite(m, 'UPDATE t SET v = ? WHERE v = ?', ['x5', 'x']);
          await deferWrite(m, 'INSERT INTO t (v) VALUES (?)', [i === 8 ? 'taken' : `b${i}`]);
          afterCommit(m, () => after.push(i));
        }).then(
          () => 'ok',
          (err: unknown) => (err instanceof WriteConflict ? 'conflict' : 'failed'),
        ),
      ),
    );
    expect(outcomes).toEqual(Array.from({ length: 12 }, (_, i) => (i === 3 ? 'conflict' : i === 8 ? 'failed' : 'ok')));
    expect(after.sort((a, b) => a - b)).toEqual([0, 1, 2, 4, 5, 6, 7, 9, 10, 11]);
    expect((await values()).sort()).toEqual(['b0', 'b1', 'b10', 'b11', 'b2', 'b4', 'b5', 'b6', 'b7', 'b9', 'taken', 'x5']);
  });

  it('on MariaDB a burst of transactions whose writes all wait for the commit is committed as one transaction, on one connection', async () => {
    if (engine() !== 'mysql') return;
    await Promise.all(Array.from({ length: 10 }, (_, i) => transaction(db, (m) => deferWrite(m, 'INSERT INTO t (v) VALUES (CONCAT(?, CONNECTION_ID()))', [`${i}@`]))));
    const connections = new Set((await values()).map((v: string) => v.split('@')[1]));
    expect(await count()).toBe(10);
    expect(connections.size).toBe(1);
    // Transactions that ran a statement before their commit keep their own connections.
    await db.query('DELETE FROM t');
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        transaction(db, async (m) => {
          await m.query('SELECT 1');
          await deferWrite(m, 'INSERT INTO t (v) VALUES (CONCAT(?, CONNECTION_ID()))', [`${i}@`]);
        }),
      ),
    );
    expect(new Set((await values()).map((v: string) => v.split('@')[1])).size).toBeGreaterThan(1);
  });

  it('batch() returns each statement\'s result in order, as the first work of a transaction and after other work', async () => {
    await transaction(db, async (m) => {
      const first = await batch(m, [
        { sql: 'INSERT INTO t (v) VALUES (?)', params: ['x1'] },
        { sql: 'SELECT COUNT(*) AS n FROM t', params: [] },
      ]);
      expect(first).toHaveLength(2);
      expect(Number((first[1] as { n: number }[])[0].n)).toBe(1);
      const second = await batch(m, [
        { sql: 'INSERT INTO t (v) VALUES (?), (?)', params: ['x2', 'x3'] },
        { sql: 'SELECT v FROM t ORDER BY id', params: [] },
      ]);
      expect((second[1] as { v: string }[]).map((r) => r.v)).toEqual(['x1', 'x2', 'x3']);
    });
    expect(await values()).toEqual(['x1', 'x2', 'x3']);
  });

  it('a failing statement in a batch fails the transaction and rolls back the whole batch and what came before', async () => {
    await db.query("INSERT INTO t (v) VALUES ('taken')");
    await expect(
      transaction(db, async (m) => {
        await m.query("INSERT INTO t (v) VALUES ('before')");
        await batch(m, [
          { sql: 'INSERT INTO t (v) VALUES (?)', params: ['in batch'] },
          { sql: 'INSERT INTO t (v) VALUES (?)', params: ['taken'] },
        ]);
      }),
    ).rejects.toThrow();
    expect(await values()).toEqual(['taken']);
  });

  it('on MariaDB batch() runs in the transaction\'s connection, and its statements share session variables', async () => {
    let shared = false;
    await transaction(db, async (m) => {
      shared = batches(m);
      if (!shared) return;
      const r = await batch(m, [
        { sql: 'INSERT INTO t (v) VALUES (?)', params: ['iv'] },
        { sql: 'SET @t_id = LAST_INSERT_ID()', params: [] },
        { sql: 'SELECT v FROM t WHERE id = @t_id', params: [] },
      ]);
      expect((r[2] as { v: string }[])[0].v).toBe('iv');
    });
    expect(shared).toBe(engine() === 'mysql');
  });

  it('a deferred read sees the writes deferred before it and gives its rows once the transaction has committed; at once outside one', async () => {
    const reads: { rows?: { v: string }[] }[] = [];
    await Promise.all(
      [0, 1, 2].map((i) =>
        transaction(db, async (m) => {
          await deferWrite(m, 'INSERT INTO t (v) VALUES (?)', [`r${i}`]);
          const read = await deferRead<{ v: string }>(m, 'SELECT v FROM t WHERE v = ?', [`r${i}`]);
          expect(read.rows).toBeUndefined();
          reads.push(read);
        }),
      ),
    );
    expect(reads.map((r) => r.rows!.map((row) => row.v)).sort()).toEqual([['r0'], ['r1'], ['r2']]);
    expect((await deferRead<{ n: number }>(db.manager, 'SELECT COUNT(*) AS n FROM t', [])).rows!.map((r) => Number(r.n))).toEqual([3]);
  });

  it('on MariaDB a burst of transactions each inserting a row and using its id from a session variable keeps every id its own', async () => {
    if (engine() !== 'mysql') return;
    const reads = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        transaction(db, async (m) => {
          await deferWrite(m, 'INSERT INTO t (v) VALUES (?)', [`p${i}`]);
          await deferWrite(m, 'SET @t_id = LAST_INSERT_ID()', []);
          await deferWrite(m, 'INSERT INTO t (v) VALUES (?)', [new SqlRef("CONCAT('c', @t_id)")]);
          return deferRead<{ id: number; v: string }>(m, 'SELECT id, v FROM t WHERE id = @t_id', []);
        }),
      ),
    );
    const byValue = new Map((await db.query('SELECT id, v FROM t')).map((r: { id: number; v: string }) => [r.v, Number(r.id)]));
    reads.forEach((read, i) => {
      expect(read.rows!.map((r) => r.v)).toEqual([`p${i}`]);
      expect(byValue.get(`c${Number(read.rows![0].id)}`)).toBeDefined();
    });
    expect(byValue.size).toBe(16);
  });

  it('on MariaDB a transaction without group commit commits its deferred writes on its own, a failing guard still giving WriteConflict', async () => {
    if (engine() !== 'mysql') return;
    await Promise.all(Array.from({ length: 10 }, (_, i) => transaction(db, (m) => deferWrite(m, 'INSERT INTO t (v) VALUES (CONCAT(?, CONNECTION_ID()))', [`${i}@`]), { groupCommit: false })));
    expect(await count()).toBe(10);
    expect(new Set((await values()).map((v: string) => v.split('@')[1])).size).toBeGreaterThan(1);
    const guard = guardStatement('(SELECT COUNT(*) FROM t) = 0', []);
    await expect(
      transaction(
        db,
        async (m) => {
          await deferWrite(m, guard.sql, guard.params);
          await deferWrite(m, 'INSERT INTO t (v) VALUES (?)', ['never']);
        },
        { groupCommit: false },
      ),
    ).rejects.toBeInstanceOf(WriteConflict);
    expect(await count()).toBe(10);
  });

  it('on MariaDB a guard statement whose condition fails rolls back only its own transaction, with WriteConflict', async () => {
    if (engine() !== 'mysql') return;
    await db.query("INSERT INTO t (v) VALUES ('present')");
    const outcomes = await Promise.all(
      ['present', 'absent', 'present'].map((wanted, i) =>
        transaction(db, async (m) => {
          const guard = guardStatement('(SELECT COUNT(*) FROM t WHERE v = ?) = 1', [wanted]);
          await deferWrite(m, guard.sql, guard.params);
          await deferWrite(m, 'INSERT INTO t (v) VALUES (?)', [`g${i}`]);
        }).then(
          () => 'ok',
          (err: unknown) => (err instanceof WriteConflict ? 'conflict' : `failed: ${(err as Error).message}`),
        ),
      ),
    );
    expect(outcomes).toEqual(['ok', 'conflict', 'ok']);
    expect((await values()).sort()).toEqual(['g0', 'g2', 'present']);
  });
});

describe('SqlRef and inlineRefs', () => {
  it('writes references in place of their placeholders, leaves other parameters and quoted question marks alone', () => {
    const st = inlineRefs({ sql: "INSERT INTO t (a, b, c) VALUES (?, '?\\'?', ?), (?, \"?\", ?)", params: [1, new SqlRef('@x'), 'two', new SqlRef('(SELECT 1)')] });
    expect(st.sql).toBe("INSERT INTO t (a, b, c) VALUES (?, '?\\'?', @x), (?, \"?\", (SELECT 1))");
    expect(st.params).toEqual([1, 'two']);
  });

  it('leaves a statement without references as it is and refuses one whose placeholders do not match its parameters', () => {
    const plain = { sql: 'SELECT ?', params: [1] };
    expect(inlineRefs(plain)).toBe(plain);
    expect(() => inlineRefs({ sql: 'SELECT ?', params: [new SqlRef('@x'), 2] })).toThrow(/1 placeholders for 2 parameters/);
  });

  it('cannot be used as a value in the app', () => {
    const ref = new SqlRef('@kallelse_interview');
    expect(() => `${ref as unknown as string}`).toThrow(/only on the database server/);
    expect(() => Number(ref)).toThrow(/only on the database server/);
    expect(() => JSON.stringify({ id: ref })).toThrow(/only on the database server/);
  });
});
