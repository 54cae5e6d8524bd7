import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { sqliteStatements } from './sqlite-statements';

/** MySQL/MariaDB deadlock (1213) and lock wait timeout (1205), SQLite busy: the transaction can simply run again. */
function retryable(err: unknown): boolean {
  const e = err as { errno?: number; code?: string; driverError?: { errno?: number; code?: string } };
  const errno = e?.errno ?? e?.driverError?.errno;
  const code = e?.code ?? e?.driverError?.code;
  return errno === 1213 || errno === 1205 || code === 'ER_LOCK_DEADLOCK' || code === 'ER_LOCK_WAIT_TIMEOUT' || code === 'SQLITE_BUSY';
}

export interface Statement {
  sql: string;
  params: unknown[];
  /** Gets the statement's result once the transaction that deferred it has committed (see `deferRead`). */
  onResult?: (result: unknown) => void;
}

/**
 * A value that exists only on the server while the transaction's statements run: a MariaDB session variable set by
 * an earlier statement of the same round trip (an id from LAST_INSERT_ID(), say). Given as a parameter, it is
 * written into the statement in place of its placeholder. It cannot be used as a value in the app: converting it
 * to a string, a number or JSON throws.
 */
export class SqlRef {
  constructor(readonly sql: string) {}

  [Symbol.toPrimitive](): never {
    throw new Error(`${this.sql} exists only on the database server until the transaction commits`);
  }

  toJSON(): never {
    return this[Symbol.toPrimitive]();
  }
}

/** The statement with its SqlRef parameters written in place of their placeholders (none inside quotes). */
export function inlineRefs(st: Statement): Statement {
  if (!st.params.some((p) => p instanceof SqlRef)) return st;
  let sql = '';
  let quote: string | null = null;
  let next = 0;
  const params: unknown[] = [];
  for (let i = 0; i < st.sql.length; i++) {
    const ch = st.sql[i];
    if (quote) {
      if (ch === '\\') {
        sql += ch + (st.sql[i + 1] ?? '');
        i++;
        continue;
      }
      if (ch === quote) quote = null;
    } else if (ch === "'" || ch === '"' || ch === '`') {
      quote = ch;
    } else if (ch === '?') {
      const p = st.params[next++];
      if (p instanceof SqlRef) {
        sql += p.sql;
        continue;
      }
      params.push(p);
    }
    sql += ch;
  }
  if (next !== st.params.length) throw new Error(`The statement has ${next} placeholders for ${st.params.length} parameters`);
  return { ...st, sql, params };
}

/** Inlined statements as one multi-statement text and its parameters, for MariaDB. */
function joined(statements: Statement[], before: string[] = [], after: string[] = []): [string, unknown[]] {
  const inlined = statements.map(inlineRefs);
  return [[...before, ...inlined.map((st) => st.sql), ...after].join(';\n'), inlined.flatMap((st) => st.params)];
}

/** Hands each statement that asked for it its result (`results[i + offset]` is statement i's). */
function deliver(statements: Statement[], results: unknown, offset = 0): void {
  if (!Array.isArray(results)) return;
  statements.forEach((st, i) => st.onResult?.(results[i + offset]));
}

export interface TransactionOptions {
  /**
   * MariaDB: commit as soon as the work is done, not with the other transactions that commit in this turn of the
   * event loop (group commit), which waits for the rest of the turn. For a large transaction that someone waits on
   * (an invitation from Slack): sharing a COMMIT saves it little.
   */
  groupCommit?: boolean;
}

interface TxState {
  /** No group commit (TransactionOptions). */
  alone?: boolean;
  beforeCommit: (() => Promise<void>)[];
  afterCommit: (() => void)[];
  deferred: Statement[];
  /** Set by the MariaDB runner: statements in one round trip. */
  batch?: (statements: Statement[]) => Promise<unknown[]>;
}

const sqliteQueues = new WeakMap<DataSource, Promise<void>>();
const states = new WeakMap<EntityManager, TxState>();

/** Whether `m` is the manager of a transaction run by `transaction()`. */
export function inTransaction(m: EntityManager): boolean {
  return states.has(m);
}

/** Runs `fn` as the last work of the transaction `m` belongs to, before it commits (in the order registered). */
export function beforeCommit(m: EntityManager, fn: () => Promise<void>): void {
  const state = states.get(m);
  if (!state) throw new Error('beforeCommit needs a transaction run by transaction()');
  state.beforeCommit.push(fn);
}

/** Runs `fn` once the transaction `m` belongs to has committed (never if it rolls back); at once outside `transaction()`. */
export function afterCommit(m: EntityManager, fn: () => void): void {
  const state = states.get(m);
  if (state) state.afterCommit.push(fn);
  else fn();
}

/**
 * A write whose result nobody needs and that nothing later in the transaction reads: it runs at commit, after the
 * beforeCommit work, in the order queued. On MariaDB the queued writes and COMMIT go to the server as one batch;
 * a failing write fails (and rolls back) the whole transaction as it would have at once. Outside `transaction()`
 * it runs at once.
 */
export async function deferWrite(m: EntityManager, sql: string, params: unknown[]): Promise<void> {
  const state = states.get(m);
  if (state) state.deferred.push({ sql, params });
  else await m.query(sql, params);
}

/** What a deferred read (`deferRead`) found: `rows` is set once its transaction has committed. */
export interface DeferredRows<T> {
  rows?: T[];
}

/**
 * A read that goes to the server with the commit, after the writes deferred before it, and so sees them (the ids
 * of rows inserted in the same round trip, say). Its rows are there once the transaction has committed; inside
 * the transaction nothing may wait for them. Outside `transaction()` it runs at once.
 */
export async function deferRead<T>(m: EntityManager, sql: string, params: unknown[]): Promise<DeferredRows<T>> {
  const out: DeferredRows<T> = {};
  const state = states.get(m);
  if (!state) out.rows = (await m.query(sql, params)) as T[];
  else state.deferred.push({ sql, params, onResult: (r) => (out.rows = r as T[]) });
  return out;
}

/** A guarded write (`guardedWrite`) changed no row: its transaction was rolled back. */
export class WriteConflict extends Error {
  constructor() {
    super('The row changed since it was read; nothing was written.');
  }
}

const GUARD_PREFIX = 'SET @kallelse_guard = (SELECT 1 UNION ALL SELECT 2 FROM DUAL WHERE ';
/** Fails (ER_SUBQUERY_NO_1_ROW) when the statement before it changed no row. MariaDB/MySQL. */
const GUARD = `${GUARD_PREFIX}ROW_COUNT() = 0)`;

/**
 * A MariaDB statement that fails the transaction it is deferred in (WriteConflict, nothing written) unless
 * `condition` holds when it runs, at the commit.
 */
export function guardStatement(condition: string, params: unknown[]): Statement {
  return { sql: `${GUARD_PREFIX}NOT (${condition}))`, params };
}

function guardFailed(err: unknown): boolean {
  const e = err as { errno?: number; driverError?: { errno?: number } };
  return (e?.errno ?? e?.driverError?.errno) === 1242;
}

/** WriteConflict when `err` is the failure of a guard among `statements`, else `err`. */
function conflictOr(err: unknown, statements: Statement[]): unknown {
  return guardFailed(err) && statements.some((s) => s.sql.startsWith(GUARD_PREFIX)) ? new WriteConflict() : err;
}

/**
 * A conditional write that the rest of the transaction stands on (an update "only if still as read"): if it changes
 * no row, the whole transaction is rolled back and fails with WriteConflict. On MariaDB in `transaction()` it goes
 * to the server with the commit, followed by a guard statement, so the transaction needs one round trip fewer; the
 * work after it must therefore not depend on its outcome (it only learns it from the commit). Elsewhere it runs at once.
 */
export async function guardedWrite(m: EntityManager, sql: string, params: unknown[]): Promise<void> {
  const state = states.get(m);
  if (state?.batch) {
    state.deferred.push({ sql, params }, { sql: GUARD, params: [] });
    return;
  }
  if ((await execute(m, sql, params)) === 0) throw new WriteConflict();
}

/** Whether `batch()` on `m` sends its statements in one round trip (MariaDB in `transaction()`), so that they may share session variables. */
export function batches(m: EntityManager): boolean {
  return !!states.get(m)?.batch;
}

/**
 * Statements run now, in order, each one's result in the array: on MariaDB inside `transaction()` one round trip
 * for all of them (and START TRANSACTION, if it has not gone out yet), elsewhere one after another.
 */
export async function batch(m: EntityManager, statements: Statement[]): Promise<unknown[]> {
  const send = states.get(m)?.batch;
  if (send && statements.length > 1) return send(statements);
  const results: unknown[] = [];
  const sqlite = sqliteStatements(m.connection);
  for (const st of statements) results.push(sqlite ? sqliteResult(sqlite.run(st.sql, st.params)) : await m.query(st.sql, st.params));
  return results;
}

/** Rows changed by a write run at once (for conditional updates). */
export async function execute(m: EntityManager, sql: string, params: unknown[]): Promise<number> {
  const sqlite = sqliteStatements(m.connection);
  if (sqlite) return sqlite.run(sql, params).affected;
  const qr = m.queryRunner ?? m.dataSource.createQueryRunner();
  try {
    const res = (await qr.query(sql, params, true)) as { affected?: number };
    return res.affected ?? 0;
  } finally {
    if (!m.queryRunner) await qr.release();
  }
}

/** What TypeORM's `query()` answers on SQLite: the rows, or for a write the last inserted row id. */
function sqliteResult(r: { rows: unknown[] | undefined; insertId: unknown }): unknown {
  return r.rows ?? r.insertId;
}

async function finish(state: TxState): Promise<void> {
  for (let i = 0; i < state.beforeCommit.length; i++) await state.beforeCommit[i]();
}

async function runTypeorm<T>(db: DataSource, work: (m: EntityManager) => Promise<T>): Promise<T> {
  let state!: TxState;
  const result = await db.transaction(async (m) => {
    state = { beforeCommit: [], afterCommit: [], deferred: [] };
    states.set(m, state);
    const value = await work(m);
    await finish(state);
    for (const s of state.deferred) s.onResult?.(await m.query(s.sql, s.params));
    return value;
  });
  for (const fn of state.afterCommit) fn();
  return result;
}

type Query = (sql: string, params?: unknown[], structured?: boolean) => Promise<any>;

/**
 * MariaDB: TypeORM's own transaction steps on a query runner whose round trips are fewer. START TRANSACTION goes
 * out with the first statement, and the deferred writes with COMMIT (the pool allows multiple statements; every
 * statement here is parameterised). A transaction that ran no statement sends nothing.
 */
function batchingRunner(db: DataSource, state: TxState): QueryRunner {
  const qr = db.createQueryRunner('master');
  const send: Query = qr.query.bind(qr);
  let begin = false;
  let begun = false;
  const query: Query = async (sql, params, structured) => {
    if (sql === 'START TRANSACTION') {
      begin = true;
      return undefined;
    }
    if (sql === 'COMMIT') {
      const batch = state.deferred.splice(0);
      if (!begun && state.alone)
        return batch.length
          ? commitStatements(db, batch).catch((err: unknown) => {
              throw conflictOr(err, batch);
            })
          : undefined;
      if (!begun) return batch.length ? commitTogether(db, batch) : undefined;
      return send(...joined(batch, [], ['COMMIT'])).then(
        (results: unknown) => deliver(batch, results),
        (err: unknown) => {
          throw conflictOr(err, batch);
        },
      );
    }
    if (sql === 'ROLLBACK') {
      state.deferred.length = 0;
      if (!begun) return undefined;
      return send(sql);
    }
    if (!begin || begun) return send(sql, params, structured);
    begun = true;
    const raw = (await send(`START TRANSACTION;\n${sql}`, params))[1];
    if (!structured) return raw;
    return { raw, records: Array.isArray(raw) ? raw : [], affected: raw?.affectedRows };
  };
  (qr as { query: Query }).query = query;
  state.batch = async (statements) => {
    if (!begin || begun) return (await send(...joined(statements))) as unknown[];
    begun = true;
    return ((await send(...joined(statements, ['START TRANSACTION']))) as unknown[]).slice(1);
  };
  return qr;
}

/** Transactions that may share one COMMIT: bounds how long the first of a burst waits for the last. */
const GROUP_LIMIT = 64;

/**
 * MariaDB group commit. A transaction that ran no statement before its commit (every write deferred or guarded, as
 * an answer's are) has nothing open on the server: its writes can share one transaction with the others that commit
 * in the same turn of the event loop, sent with START TRANSACTION and COMMIT in one round trip. One COMMIT (and one
 * redo-log flush) then serves a burst of answers. When the shared transaction fails on a statement (a guard whose row
 * changed, a duplicate key), the server has run nothing after it and rolls it back: each transaction of the group
 * then commits on its own and gets its own outcome. When the connection fails instead, every one fails, as it would
 * have alone.
 */
interface GroupMember {
  statements: Statement[];
  resolve: () => void;
  reject: (err: unknown) => void;
}

const mariadbGroups = new WeakMap<DataSource, GroupMember[]>();

function commitTogether(db: DataSource, statements: Statement[]): Promise<void> {
  let group = mariadbGroups.get(db);
  if (!group || group.length >= GROUP_LIMIT) {
    const members: GroupMember[] = [];
    group = members;
    mariadbGroups.set(db, members);
    setImmediate(() => {
      if (mariadbGroups.get(db) === members) mariadbGroups.delete(db);
      void commitGroup(db, members);
    });
  }
  const members = group;
  return new Promise<void>((resolve, reject) => members.push({ statements, resolve, reject }));
}

async function commitGroup(db: DataSource, members: GroupMember[]): Promise<void> {
  if (members.length > 1) {
    try {
      await commitStatements(db, members.flatMap((m) => m.statements));
      for (const m of members) m.resolve();
      return;
    } catch (err) {
      if (!failedOnStatement(err)) {
        for (const m of members) m.reject(err);
        return;
      }
    }
  }
  await Promise.all(members.map((m) => commitStatements(db, m.statements).then(m.resolve, (err: unknown) => m.reject(conflictOr(err, m.statements)))));
}

/** The server refused a statement (and ran none after it); not a connection that failed, where the outcome is unknown. */
function failedOnStatement(err: unknown): boolean {
  const e = ((err as { driverError?: unknown })?.driverError ?? err) as { errno?: unknown; fatal?: boolean };
  return typeof e?.errno === 'number' && !e.fatal;
}

/** START TRANSACTION, the statements and COMMIT in one round trip; ROLLBACK if one fails. */
async function commitStatements(db: DataSource, statements: Statement[]): Promise<void> {
  const qr = db.createQueryRunner('master');
  try {
    deliver(statements, await qr.query(...joined(statements, ['START TRANSACTION'], ['COMMIT'])), 1);
  } catch (err) {
    await qr.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    await qr.release();
  }
}

async function runBatching<T>(db: DataSource, work: (m: EntityManager) => Promise<T>, options: TransactionOptions): Promise<T> {
  const state: TxState = { alone: options.groupCommit === false, beforeCommit: [], afterCommit: [], deferred: [] };
  const qr = batchingRunner(db, state);
  states.set(qr.manager, state);
  try {
    await qr.startTransaction();
    const value = await work(qr.manager);
    await finish(state);
    await qr.commitTransaction();
    for (const fn of state.afterCommit) fn();
    return value;
  } catch (err) {
    if (qr.isTransactionActive) await qr.rollbackTransaction().catch(() => undefined);
    throw err;
  } finally {
    await qr.release();
  }
}

function run<T>(db: DataSource, work: (m: EntityManager) => Promise<T>, options: TransactionOptions): Promise<T> {
  const type = db.options.type;
  return (type === 'mariadb' || type === 'mysql') && (db.options as { multipleStatements?: boolean }).multipleStatements ? runBatching(db, work, options) : runTypeorm(db, work);
}

/**
 * SQLite group commit. The one connection runs one transaction at a time, so the transactions of a process queue up;
 * those that queue within one turn of the event loop share one BEGIN IMMEDIATE … COMMIT, each in a savepoint of its
 * own, so that a failing one rolls back alone. A COMMIT (writing the WAL) is the largest cost of a small write on
 * SQLite; a burst of answers pays it once. Each caller gets its result only once the shared COMMIT has succeeded; if
 * the COMMIT fails, every transaction of the group fails (and may be run again).
 */
interface SqliteGroup {
  units: number;
  open: boolean;
  committed: Promise<void>;
  settle: { resolve: () => void; reject: (err: unknown) => void };
  afterCommit: (() => void)[];
}

const sqliteGroups = new WeakMap<DataSource, SqliteGroup>();
/** One name for every unit's savepoint: units run one after another, and a fixed text keeps one prepared statement. */
const UNIT = 'kallelse_unit';

/** Work on the SQLite connection, one at a time, in the order asked. */
async function sqliteTurn<T>(db: DataSource, fn: () => Promise<T>): Promise<T> {
  const before = sqliteQueues.get(db) ?? Promise.resolve();
  let release!: () => void;
  const mine = new Promise<void>((resolve) => (release = resolve));
  sqliteQueues.set(db, before.then(() => mine));
  await before;
  try {
    return await fn();
  } finally {
    release();
  }
}

/**
 * TypeORM's view of the shared runner: while a group is open, a TypeORM transaction outside `transaction()` (a
 * repository's save) nests in it as a savepoint, as it does in TypeORM's own transactions, instead of a second BEGIN.
 */
function markOpen(qr: QueryRunner, open: boolean): void {
  Object.assign(qr as unknown as { isTransactionActive: boolean; transactionDepth: number }, { isTransactionActive: open, transactionDepth: open ? 1 : 0 });
}

/** A statement on SQLite's connection, in a turn of it. */
function sql(db: DataSource, text: string, params: unknown[] = []): void {
  sqliteStatements(db)!.run(text, params);
}

function tryRun(db: DataSource, text: string): void {
  try {
    sql(db, text);
  } catch {
    /* cleaning up after a failure that is reported already */
  }
}

/** In a turn of the connection. */
function openSqliteGroup(db: DataSource, qr: QueryRunner): SqliteGroup {
  // IMMEDIATE takes the write lock at once: another process's commit can then not invalidate the group's reads.
  sql(db, 'BEGIN IMMEDIATE');
  markOpen(qr, true);
  let settle!: SqliteGroup['settle'];
  const committed = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
  committed.catch(() => undefined);
  const group: SqliteGroup = { units: 0, open: true, committed, settle, afterCommit: [] };
  sqliteGroups.set(db, group);
  // The COMMIT queues behind the transactions that arrive in this turn of the event loop.
  setImmediate(() => void sqliteTurn(db, async () => commitSqliteGroup(db, qr, group)));
  return group;
}

/** In a turn of the connection; a group that was already committed is left alone. */
function commitSqliteGroup(db: DataSource, qr: QueryRunner, group: SqliteGroup): void {
  if (!group.open) return;
  group.open = false;
  if (sqliteGroups.get(db) === group) sqliteGroups.delete(db);
  try {
    sql(db, 'COMMIT');
  } catch (err) {
    tryRun(db, 'ROLLBACK');
    group.settle.reject(err);
    return;
  } finally {
    markOpen(qr, false);
  }
  for (const fn of group.afterCommit) fn();
  group.settle.resolve();
}

async function sqliteTransaction<T>(db: DataSource, work: (m: EntityManager) => Promise<T>): Promise<T> {
  // better-sqlite3: TypeORM shares one query runner (and its one connection) across the DataSource.
  const qr = db.createQueryRunner();
  const { value, group } = await sqliteTurn(db, async () => {
    let group = sqliteGroups.get(db);
    if (group && group.units >= GROUP_LIMIT) commitSqliteGroup(db, qr, group);
    group = sqliteGroups.get(db) ?? openSqliteGroup(db, qr);
    group.units++;
    const state: TxState = { beforeCommit: [], afterCommit: [], deferred: [] };
    // A manager of its own: what callers keep per transaction (queued outbox rows, hooks) is keyed by it.
    const m = db.createEntityManager(qr);
    states.set(m, state);
    sql(db, `SAVEPOINT ${UNIT}`);
    try {
      const value = await work(m);
      await finish(state);
      for (const st of state.deferred) {
        const r = sqliteStatements(db)!.run(st.sql, st.params);
        st.onResult?.(sqliteResult(r));
      }
      sql(db, `RELEASE ${UNIT}`);
      group.afterCommit.push(...state.afterCommit);
      return { value, group };
    } catch (err) {
      tryRun(db, `ROLLBACK TO ${UNIT}`);
      tryRun(db, `RELEASE ${UNIT}`);
      throw err;
    } finally {
      states.delete(m);
    }
  });
  await group.committed;
  return value;
}

/**
 * A transaction. On SQLite (one connection per process) transactions must not overlap: they queue, and those that
 * queue together commit together (see SqliteGroup); other engines run them side by side on pooled connections.
 */
export async function transaction<T>(db: DataSource, work: (m: EntityManager) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
  if (db.options.type !== 'better-sqlite3') return run(db, work, options);
  return sqliteTransaction(db, work);
}

/** Runs `work` again (up to `attempts` times in all) when the database chose it as a deadlock victim or a lock wait timed out. */
export async function withRetry<T>(attempts: number, work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (err) {
      if (attempt >= attempts || !retryable(err)) throw err;
      await new Promise((r) => setTimeout(r, 10 * attempt + Math.random() * 20));
    }
  }
}

/** Runs `work` in a transaction, again (up to `attempts` times) when the database chose it as a deadlock victim. `work` must not change state outside. */
export function transactionWithRetry<T>(db: DataSource, work: (m: EntityManager) => Promise<T>, attempts = 4, options: TransactionOptions = {}): Promise<T> {
  return withRetry(attempts, () => transaction(db, work, options));
}
