/** The app wired to the repo's stand-ins (as test/support/world.ts does), with the bench's own env and database. */
import { SlackStandin } from '../test/standins/slack.standin';
import { TwilioStandin } from '../test/standins/twilio.standin';
import { dropDatabase, freshDatabase, RunningApp, startApp } from '../test/support/app';
import { signSlackRequest, slackInteractionBody, slashCommandBody } from '../test/support/signing';
import { SENDGRID_KEY, SLACK_SECRET, SLACK_TOKEN, TWILIO_FROM, TWILIO_SID, TWILIO_TOKEN } from '../test/support/world';
import { stateFromView } from '../src/slack/views/simulate';
import { MailSink, MYSQL_BASE } from './lib';

export { SENDGRID_KEY, SLACK_SECRET, SLACK_TOKEN, TWILIO_FROM, TWILIO_SID, TWILIO_TOKEN };

export type Db = 'mysql' | 'sqlite';

export async function newDatabase(db: Db): Promise<string> {
  const saved = process.env.DATABASE_URL;
  if (db === 'mysql') process.env.DATABASE_URL = MYSQL_BASE;
  else delete process.env.DATABASE_URL;
  try {
    return await freshDatabase();
  } finally {
    if (saved === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = saved;
  }
}

export interface Stands {
  slack: SlackStandin;
  mail: MailSink;
  twilio: TwilioStandin;
}

export async function startStandins(keepMailText = false): Promise<Stands> {
  const [slack, mail, twilio] = await Promise.all([
    SlackStandin.start({ token: SLACK_TOKEN }),
    MailSink.start(SENDGRID_KEY, keepMailText),
    TwilioStandin.start({ accountSid: TWILIO_SID, authToken: TWILIO_TOKEN, fromNumbers: [TWILIO_FROM] }),
  ]);
  return { slack, mail, twilio };
}

export async function stopStandins(s: Stands) {
  await Promise.all([s.slack.close(), s.mail.close(), s.twilio.close()]);
}

/** App env at production defaults (DISPATCH_INTERVAL_MS etc. not overridden), wired to the stand-ins. */
export function appEnv(s: Stands, extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return {
    SLACK_BOT_TOKEN: SLACK_TOKEN,
    SLACK_SIGNING_SECRET: SLACK_SECRET,
    SLACK_API_URL: `${s.slack.url}/api/`,
    SENDGRID_API_KEY: SENDGRID_KEY,
    SENDGRID_API_URL: s.mail.url,
    TWILIO_ACCOUNT_SID: TWILIO_SID,
    TWILIO_AUTH_TOKEN: TWILIO_TOKEN,
    TWILIO_FROM,
    TWILIO_API_URL: s.twilio.url,
    EMAIL_FROM: 'jobs@example.com',
    DISPATCH_INTERVAL_MS: undefined, // startApp's test default is 100; the bench runs the app's own default
    LOG_LEVEL: 'warn',
    // For experiments: more app settings as JSON, e.g. BENCH_APP_ENV='{"SLACK_UPDATE_WINDOW_MS":"60000"}'.
    ...(process.env.BENCH_APP_ENV ? (JSON.parse(process.env.BENCH_APP_ENV) as Record<string, string>) : {}),
    ...extra,
  };
}

export async function startWired(s: Stands, databaseUrl: string, extra: Record<string, string | undefined> = {}): Promise<RunningApp> {
  return startApp({ databaseUrl, env: appEnv(s, extra) });
}

export { dropDatabase };

export async function api<T = any>(app: RunningApp, method: string, p: string, body?: unknown): Promise<T> {
  const r = await app.api<T>(method, p, body);
  if (r.status >= 300) throw new Error(`${method} ${p}: ${r.status} ${r.text.slice(0, 500)}`);
  return r.body;
}

/** Signed POST /slack/events; returns status, parsed JSON and the client-side latency in ms. */
/** `ms` is the bench's own (client-side) time; `serverMs` the app's Server-Timing (request received → response headers). */
export async function postSlack(app: RunningApp, body: string): Promise<{ status: number; json: any; ms: number; serverMs: number; text: string }> {
  const headers = signSlackRequest(SLACK_SECRET, body);
  const t0 = performance.now();
  const res = await fetch(`${app.url}/slack/events`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body });
  const text = await res.text();
  const ms = performance.now() - t0;
  let json: any = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    /* plain */
  }
  const serverMs = Number(/app;dur=([\d.]+)/.exec(res.headers.get('server-timing') ?? '')?.[1] ?? NaN);
  return { status: res.status, json, ms, serverMs, text };
}

export function commandBody(s: Stands, command: string, userId: string, text: string, triggerId: string): string {
  return slashCommandBody(s.slack.url, command, userId, text, triggerId);
}

export function submitBody(view: any, userId: string, values: Record<string, unknown>): string {
  return slackInteractionBody({
    team: { id: 'T0TEST' },
    api_app_id: 'A0TEST',
    token: 'legacy',
    type: 'view_submission',
    user: { id: userId },
    trigger_id: `trig.${Math.random().toString(36).slice(2)}`,
    view: { ...view, state: { values: stateFromView(view, values) } },
  });
}

/** One query against the app's database (MariaDB via mysql2, SQLite via better-sqlite3). */
export async function dbQuery<T = any>(databaseUrl: string, sql: string, params: unknown[] = []): Promise<T[]> {
  if (databaseUrl.startsWith('mysql://')) {
    const { createConnection } = await import('mysql2/promise');
    const conn = await createConnection({ uri: databaseUrl, multipleStatements: false });
    try {
      const [rows] = await conn.query(sql, params);
      return rows as T[];
    } finally {
      await conn.end();
    }
  }
  const Database = (await import('better-sqlite3')).default;
  const db = new Database(databaseUrl.slice('sqlite:'.length), { readonly: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

