/**
 * Shared plumbing of the fault suite (test/faults/*.e2e.ts, run by `npm run test:faults` on MariaDB).
 * Not a test file itself.
 */
import { spawnSync } from 'node:child_process';
import { createConnection } from 'mysql2/promise';
import type { SendgridStandin } from '../standins/sendgrid.standin';
import type { RunningApp } from '../support/app';
import { project } from '../support/fixtures';

/**
 * The fault tests stop the machine's MariaDB and run for minutes; they run only through jest.faults.config.js
 * (which sets KALLELSE_FAULTS=1), never as part of the main suite that also matches test/**\/*.e2e.ts.
 */
export const faultDescribe: jest.Describe = process.env.KALLELSE_FAULTS === '1' ? describe : describe.skip;

export const RITA = 'U0RITA001';
export const INTERVIEW_DATE = '2030-09-25';
/** 09:00 Stockholm (CEST) on the day before INTERVIEW_DATE, plus a second: every 1-day reminder is due. */
export const REMINDERS_DUE = '2030-09-24T07:00:01Z';
export const BEFORE = '2030-09-01T10:00:00Z';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Adds n applications to a project through the admin API, `parallel` requests at a time; returns their ids. */
export async function applications(app: RunningApp, projectId: number, n: number, opts: { mobiles?: boolean; parallel?: number } = {}): Promise<number[]> {
  const parallel = opts.parallel ?? 40;
  const ids: number[] = [];
  for (let i = 0; i < n; i += parallel) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(parallel, n - i) }, (_, k) => {
        const j = i + k;
        return app.api('POST', `/api/projects/${projectId}/applications`, {
          firstName: `F${j}`,
          lastName: 'Fault',
          email: `f${j}.p${projectId}@example.com`,
          language: j % 3 ? 'sv' : 'en',
          ...(opts.mobiles ? { mobile: `+46702${String(j).padStart(6, '0')}` } : {}),
        });
      }),
    );
    for (const r of batch) {
      if (r.status !== 201) throw new Error(`application: ${r.status} ${r.text}`);
      ids.push(r.body.id);
    }
  }
  return ids;
}

/** Accepted (202) sends the SendGrid stand-in got, counted per outbox id (custom_args.outboxId). */
export function emailsByOutboxId(sendgrid: SendgridStandin): Map<string, number> {
  const counts = new Map<string, number>();
  for (const c of sendgrid.sent) {
    // One email per personalization (a batched request carries several).
    for (const p of c.body.personalizations ?? []) {
      const id = p?.custom_args?.outboxId ?? c.body.custom_args?.outboxId;
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
  }
  return counts;
}

/** How many ids were received more than once, and how many surplus copies that makes. */
export function duplicates(counts: Map<string, number>): { ids: number; copies: number } {
  let ids = 0;
  let copies = 0;
  for (const n of counts.values()) {
    if (n > 1) {
      ids++;
      copies += n - 1;
    }
  }
  return { ids, copies };
}

/** Runs SQL against the app's own MariaDB database (for the outbox's lease columns, which the API does not show). */
export async function sql<T = any>(databaseUrl: string, query: string, params: unknown[] = []): Promise<T[]> {
  const u = new URL(databaseUrl);
  const conn = await createConnection({ host: u.hostname, port: Number(u.port || 3306), user: decodeURIComponent(u.username), password: decodeURIComponent(u.password), database: u.pathname.slice(1), connectTimeout: 5000 });
  try {
    const [rows] = await conn.query(query, params);
    return rows as T[];
  } finally {
    await conn.end();
  }
}

/** Reminder states of an interview, counted, from the admin API. */
export async function reminderStates(app: RunningApp, interviewId: number): Promise<Record<string, number>> {
  const res = await app.api('GET', `/api/interviews/${interviewId}`);
  if (res.status !== 200) throw new Error(`interview ${interviewId}: ${res.status} ${res.text.slice(0, 300)}`);
  const out: Record<string, number> = {};
  for (const r of res.body.reminders as { state: string }[]) out[r.state] = (out[r.state] ?? 0) + 1;
  return out;
}

export async function health(app: RunningApp, timeoutMs = 5000): Promise<{ status: number | 'timeout' | 'error'; ms: number }> {
  const started = Date.now();
  try {
    const res = await fetch(`${app.url}/health`, { signal: AbortSignal.timeout(timeoutMs) });
    await res.text();
    return { status: res.status, ms: Date.now() - started };
  } catch (err) {
    return { status: (err as Error).name === 'TimeoutError' ? 'timeout' : 'error', ms: Date.now() - started };
  }
}

/** One line the CI log keeps: what a fault test counted. */
export function summary(test: string, fields: Record<string, unknown>): void {
  const line = `[faults] ${test}: ` + Object.entries(fields).map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`).join(' ');
  console.log(line);
}

// ---- the machine's MariaDB ------------------------------------------------------------------------------------------

function admin(): string {
  return spawnSync('sh', ['-c', 'command -v mariadb-admin || command -v mysqladmin'], { encoding: 'utf8' }).stdout.trim() || 'mariadb-admin';
}

export function mariadbPing(): boolean {
  return spawnSync(admin(), ['-uroot', '--silent', '--connect-timeout=2', 'ping'], { stdio: 'ignore', timeout: 5000 }).status === 0;
}

/** Stops the server (clean shutdown) and waits until it no longer answers. */
export async function stopMariadb(): Promise<void> {
  const r = spawnSync(admin(), ['-uroot', 'shutdown'], { encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(`mariadb-admin shutdown failed: ${r.stderr || r.stdout}`);
  for (let i = 0; i < 120 && mariadbPing(); i++) await sleep(250);
  if (mariadbPing()) throw new Error('MariaDB still answers after shutdown');
}

/** Starts the server the way .ci/run does (idempotent: --oknodo) and waits for a ping. Synchronous, so that it also works from an exit hook. */
export function startMariadbSync(timeoutMs = 60_000): void {
  if (mariadbPing()) return;
  spawnSync('mkdir', ['-p', '/run/mysqld']);
  spawnSync('chown', ['mysql:mysql', '/run/mysqld']);
  const r = spawnSync('start-stop-daemon', ['--start', '--oknodo', '--background', '--exec', '/usr/sbin/mariadbd', '--', '--user=mysql'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`start-stop-daemon failed: ${r.stderr || r.stdout}`);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (mariadbPing()) return;
    spawnSync('sleep', ['0.25']);
  }
  throw new Error(`MariaDB did not answer a ping within ${timeoutMs} ms of being started`);
}

/**
 * Other clients busy on the shared server (another engineer's test run): connections to a database other than
 * ours that are not idle. Stopping the server under them would break their run, so the test waits for a quiet moment.
 */
export async function othersBusy(ownDatabase: string): Promise<number> {
  const conn = await createConnection({ host: '127.0.0.1', port: 3306, user: 'root' });
  try {
    const [rows] = await conn.query(
      "SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE ID <> CONNECTION_ID() AND (DB IS NULL OR DB <> ?) AND COMMAND NOT IN ('Sleep', 'Daemon', 'Binlog Dump')",
      [ownDatabase],
    );
    return Number((rows as { n: number }[])[0].n);
  } finally {
    await conn.end();
  }
}

/**
 * A project with `n` applications and one interview inviting them all with reminders only (no email), due at
 * REMINDERS_DUE. Returns the project and the admin API's answer, for the caller's assertions.
 */
export async function interviewWithReminders(app: RunningApp, title: string, n: number, option: 'email' | 'sms' | 'sms_email') {
  const p = await project(app, title);
  const ids = await applications(app, p.id, n, option === 'email' ? {} : { mobiles: true });
  const res = await app.api('POST', '/api/interviews', {
    projectId: p.id,
    applicationIds: ids,
    type: 'group',
    date: INTERVIEW_DATE,
    time: '10:00',
    createdBy: RITA,
    sendEmail: false,
    reminder: { option, days: 1 },
  });
  return { project: p, res };
}
