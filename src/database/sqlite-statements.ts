import { DataSource, QueryFailedError } from 'typeorm';

/** The parts of a better-sqlite3 statement used here. */
interface Statement {
  readonly reader: boolean;
  all(...params: unknown[]): unknown[];
  run(...params: unknown[]): { changes: number; lastInsertRowid: number | bigint };
}

interface Connection {
  prepare(sql: string): Statement;
}

/** Prepared statements kept per connection; statements with IN lists of many lengths must not push out the hot ones. */
const CACHE_LIMIT = 1000;

class SqliteStatements {
  private readonly cache = new Map<string, Statement>();

  constructor(readonly connection: Connection) {}

  private statement(sql: string): Statement {
    let st = this.cache.get(sql);
    if (st) {
      // Most recently used last: the first entry is the one to drop.
      this.cache.delete(sql);
      this.cache.set(sql, st);
      return st;
    }
    st = this.connection.prepare(sql);
    this.cache.set(sql, st);
    if (this.cache.size > CACHE_LIMIT) this.cache.delete(this.cache.keys().next().value!);
    return st;
  }

  /** Rows of a reading statement; for a writing one, as TypeORM answers: the last inserted row id, or with `affected` the rows changed. */
  run(sql: string, params: unknown[]): { rows: unknown[] | undefined; affected: number; insertId: number | bigint | undefined } {
    const values = params.map((p) => (typeof p === 'boolean' ? (p ? 1 : 0) : p));
    try {
      const st = this.statement(sql);
      if (st.reader) return { rows: st.all(...values), affected: 0, insertId: undefined };
      const res = st.run(...values);
      return { rows: undefined, affected: res.changes, insertId: res.lastInsertRowid };
    } catch (err) {
      throw new QueryFailedError(sql, values, err as Error);
    }
  }
}

const byDataSource = new WeakMap<DataSource, SqliteStatements>();

/**
 * On SQLite, statements run straight on better-sqlite3's one connection (synchronous, prepared once), without
 * TypeORM's per-query logging, broadcasting and promise hops: on the answer path that was more than running them.
 * Null on other engines. Errors are TypeORM's QueryFailedError, as through `query()`.
 */
export function sqliteStatements(db: DataSource): SqliteStatements | null {
  if (db.options.type !== 'better-sqlite3') return null;
  const connection = (db.driver as unknown as { databaseConnection?: Connection }).databaseConnection;
  if (!connection) return null;
  let statements = byDataSource.get(db);
  // A DataSource destroyed and initialised again has a new connection; statements of the old one are closed.
  if (statements?.connection !== connection) {
    statements = new SqliteStatements(connection);
    byDataSource.set(db, statements);
  }
  return statements;
}
