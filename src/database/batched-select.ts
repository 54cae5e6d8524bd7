import type { DataSource, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { PreparedSelect } from './prepared-select';

/** Keys per query at most; IN lists are padded to a power of two so that a handful of statements serve every size. */
const BATCH_LIMIT = 64;

interface Waiting<T> {
  keys: Map<string, { resolve: (rows: T[]) => void; reject: (err: unknown) => void }[]>;
  params: () => unknown[];
}

/**
 * A read by key that, on a database across the network, joins the reads asked for in one turn of the event loop into
 * one query (`key IN (…)`) and gives each caller the rows of its own key. Each read is otherwise a round trip of its
 * own, and on this path the round trips cost more than the reads (the socket writes and the server's per-statement
 * work). On SQLite (in-process and synchronous) each read runs at once, alone.
 *
 * `build(db, keys)` makes the query with `keys` (string placeholders) as its first parameters, followed by those
 * `params()` gives, which are the same for every read of one batch (evaluated when the batch goes out).
 */
export class BatchedSelect<T extends ObjectLiteral> {
  private readonly bySize = new Map<number, PreparedSelect<T>>();
  private readonly waiting = new WeakMap<DataSource, Waiting<T>>();

  constructor(
    private readonly build: (db: DataSource, keys: string[]) => SelectQueryBuilder<T>,
    private readonly keyOf: (row: T) => string | null | undefined,
    private readonly adapt?: (sql: string, db: DataSource) => string,
  ) {}

  async load(db: DataSource, key: string, params: () => unknown[] = () => []): Promise<T[]> {
    if (db.options.type === 'better-sqlite3') return this.select(1).many(db, [key, ...params()]);
    let batch = this.waiting.get(db);
    if (!batch || batch.keys.size >= BATCH_LIMIT) {
      const mine: Waiting<T> = { keys: new Map(), params };
      batch = mine;
      this.waiting.set(db, mine);
      setImmediate(() => {
        if (this.waiting.get(db) === mine) this.waiting.delete(db);
        void this.run(db, mine);
      });
    }
    const callers = batch.keys.get(key) ?? [];
    batch.keys.set(key, callers);
    return new Promise<T[]>((resolve, reject) => callers.push({ resolve, reject }));
  }

  private async run(db: DataSource, batch: Waiting<T>): Promise<void> {
    const keys = [...batch.keys.keys()];
    let size = 1;
    while (size < keys.length) size *= 2;
    const padded = [...keys, ...Array.from({ length: size - keys.length }, () => keys[keys.length - 1])];
    try {
      const rows = await this.select(size).many(db, [...padded, ...batch.params()]);
      const byKey = new Map<string, T[]>();
      for (const row of rows) {
        const k = this.keyOf(row);
        if (k == null) continue;
        const list = byKey.get(k);
        if (list) list.push(row);
        else byKey.set(k, [row]);
      }
      for (const [k, [first, ...more]] of batch.keys) {
        first.resolve(byKey.get(k) ?? []);
        // Entities are mutable: a second read of the same key in one turn (rare) gets its own, from a query of its own.
        for (const c of more) this.select(1).many(db, [k, ...batch.params()]).then(c.resolve, c.reject);
      }
    } catch (err) {
      for (const callers of batch.keys.values()) for (const c of callers) c.reject(err);
    }
  }

  private select(size: number): PreparedSelect<T> {
    let s = this.bySize.get(size);
    if (!s) {
      s = new PreparedSelect<T>((db) => this.build(db, Array.from({ length: size }, (_, i) => `k${i}`)), this.adapt);
      this.bySize.set(size, s);
    }
    return s;
  }
}
