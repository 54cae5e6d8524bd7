import { ChildProcess, spawn } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks';
import { stateFromView } from '../slack/views/simulate';

/**
 * `npm run demo`: plays a whole flow in local mode — invite from Slack, the email, an answer by link, an answer
 * by SMS, the reminder at 09:00 — and prints what each side saw. Starts its own app on a throw-away SQLite file.
 * Local mode signs Slack and Twilio webhooks with a fixed local secret (no credentials exist to sign with).
 */
const LOCAL_SECRET = 'kallelse-local-mode';
const PORT = Number(process.env.DEMO_PORT ?? 3300 + Math.floor(Math.random() * 500));
const BASE = `http://localhost:${PORT}`;
const TOKEN = randomBytes(16).toString('hex');
const RITA = 'U0RITA001';

type Json = any;

const say = (s = '') => process.stdout.write(`${s}\n`);
const head = (s: string) => say(`\n\x1b[1m${s}\x1b[0m`);
const indent = (s: string, n = 4) => s.split('\n').map((l) => ' '.repeat(n) + l).join('\n');

async function api(method: string, p: string, body?: unknown): Promise<Json> {
  const res = await fetch(BASE + p, { method, headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const json = await res.json().catch(() => null);
  if (res.status >= 400) throw new Error(`${method} ${p}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

async function slack(body: string): Promise<Json> {
  const ts = Math.floor(Date.now() / 1000);
  const sig = `v0=${createHmac('sha256', LOCAL_SECRET).update(`v0:${ts}:${body}`).digest('hex')}`;
  const res = await fetch(`${BASE}/slack/events`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-signature': sig, 'x-slack-request-timestamp': String(ts) }, body });
  const text = await res.text();
  return text ? JSON.parse(text) : null;
}

async function sms(from: string, text: string): Promise<string> {
  const params = { MessageSid: `SM${randomBytes(16).toString('hex')}`, From: from, To: '+46700000000', Body: text };
  const url = `${BASE}/sms/inbound`;
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': getExpectedTwilioSignature(LOCAL_SECRET, url, params) }, body: new URLSearchParams(params).toString() });
  return res.text();
}

let seen = 0;
async function newDeliveries(waitMs = 1500): Promise<Json[]> {
  await new Promise((r) => setTimeout(r, waitMs));
  const rows: Json[] = await (await fetch(`${BASE}/outbox/messages?after=${seen}`)).json();
  if (rows.length) seen = rows.at(-1).id;
  return rows;
}

function show(rows: Json[]) {
  for (const r of rows) {
    if (r.channel === 'email') say(`  📧 email to ${r.recipient}: "${r.subject}"\n${indent(String(r.meta?.text ?? '').trim(), 6)}${r.meta?.attachments?.length ? `\n      (+ ${r.meta.attachments.map((a: Json) => a.filename).join(', ')})` : ''}`);
    else if (r.channel === 'sms') say(`  📱 SMS to ${r.recipient}:\n${indent(r.body, 6)}`);
    else {
      const args = JSON.parse(r.body);
      if (r.subject === 'views.open' || r.subject === 'views.update') say(`  💬 Slack ${r.subject}: modal "${args.view?.title?.text}"`);
      else if (r.subject === 'chat.postMessage' || r.subject === 'chat.update')
        say(`  💬 Slack ${r.subject} to ${args.channel}${args.thread_ts ? ' (in the card’s thread)' : ''}:\n${indent(slackText(args), 6)}`);
      else say(`  💬 Slack ${r.subject}`);
    }
  }
}

function slackText(args: Json): string {
  if (!args.blocks) return args.text;
  return args.blocks
    .map((b: Json) => b.text?.text ?? b.elements?.map((e: Json) => e.text?.text ?? e.text ?? '').join(' ') ?? '')
    .filter((t: string) => t && t.trim())
    .join('\n');
}

async function lastView(): Promise<Json> {
  const rows = await newDeliveries(800);
  show(rows);
  const open = rows.filter((r) => r.subject === 'views.open').at(-1);
  return JSON.parse(open.body).view;
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kallelse-demo-'));
  const app: ChildProcess = spawn(process.execPath, [path.join(__dirname, '..', 'main.js')], {
    env: { PATH: process.env.PATH, PORT: String(PORT), DATABASE_URL: `sqlite:${path.join(dir, 'demo.sqlite')}`, ADMIN_API_TOKEN: TOKEN, CLOCK: 'manual', LOG_LEVEL: 'warn', DISPATCH_INTERVAL_MS: '100' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    for (let i = 0; ; i++) {
      if ((await fetch(`${BASE}/health`).then((r) => r.status).catch(() => 0)) === 200) break;
      if (i > 100) throw new Error('the app did not start');
      await new Promise((r) => setTimeout(r, 100));
    }
    say(`Kallelse is running in local mode at ${BASE} (outbox page: ${BASE}/outbox). Clock set to Tue 1 Dec 2026 10:00 Stockholm.`);
    await api('PUT', '/api/clock', { now: '2026-12-01T09:00:00Z' });

    head('Operator: a recruiter, a project and two candidates through the admin API');
    await api('POST', '/api/recruiters', { slackUserId: RITA, name: 'Rita Rekryterare', email: 'rita@example.com', smsAccess: true });
    const project = await api('POST', '/api/projects', { title: 'Backend Engineer Göteborg', slackChannelId: 'C0HIRING1', defaultLanguage: 'sv', senderEmail: 'jobb@example.com' });
    const anna = await api('POST', `/api/projects/${project.id}/applications`, { firstName: 'Anna', lastName: 'Lindqvist', email: 'anna@example.com', mobile: '070-123 45 67' });
    const john = await api('POST', `/api/projects/${project.id}/applications`, { firstName: 'John', lastName: 'Carter', email: 'john@example.com', mobile: '+46 70 765 43 21', language: 'en' });
    say(`  project #${project.id}; Anna (sv, ${anna.candidate.mobile}) and John (en, ${john.candidate.mobile})`);

    head('Recruiter in Slack: /invite Backend Engineer Göteborg');
    await slack(new URLSearchParams({ command: '/invite', text: 'Backend Engineer Göteborg', user_id: RITA, channel_id: 'C0HIRING1', trigger_id: 't1', team_id: 'T0' }).toString());
    const step1 = await lastView();
    const candidatesBlock = step1.blocks.find((b: Json) => String(b.block_id).startsWith('candidates')).block_id;
    const values1 = stateFromView(step1, { [candidatesBlock]: [String(anna.id), String(john.id)], type: 'phone', date: '2026-12-07', time: '10:00', location: 'Kungsgatan 1, Göteborg' });
    say('  step 1: Anna and John, phone interview, Mon 7 Dec 2026 10:00, 45 minutes, Kungsgatan 1 → Next');
    const r1 = await slack(new URLSearchParams({ payload: JSON.stringify({ type: 'view_submission', user: { id: RITA }, view: { ...step1, state: { values: values1 } } }) }).toString());
    const step2 = r1.view;
    say('  step 2: Send email, SMS and email reminder 2 days before → Send');
    const values2 = stateFromView(step2, { reminder_option: 'sms_email', reminder_days: '2' });
    const r2 = await slack(new URLSearchParams({ payload: JSON.stringify({ type: 'view_submission', user: { id: RITA }, view: { ...step2, state: { values: values2 } } }) }).toString());
    say(`  Slack got: ${JSON.stringify(r2)}`);

    head('What went out');
    show(await newDeliveries());

    const interviews = await api('GET', `/api/interviews?projectId=${project.id}`);
    const detail = await api('GET', `/api/interviews/${interviews[0].id}`);
    say(`  reminders: ${detail.reminders.map((r: Json) => `${r.kind} ${r.state} for ${r.scheduledFor}`).join('; ')}`);

    head('Anna opens the link in her email (GET changes nothing) and presses "Ja, jag kommer"');
    const annaMail = (await (await fetch(`${BASE}/outbox/messages`)).json()).find((r: Json) => r.channel === 'email' && r.recipient === 'anna@example.com');
    const link = /http:\/\/[^\s]+\/r\/[A-Za-z0-9_-]+/.exec(annaMail.meta.text)![0];
    const page = await (await fetch(link)).text();
    const csrf = /name="csrf" value="([^"]+)"/.exec(page)![1];
    const answered = await (await fetch(link, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ answer: 'yes', csrf }).toString() })).text();
    say(`  the page says: ${/role="status"[^>]*>([\s\S]*?)<\/(p|div)>/.exec(answered)?.[1].replace(/<[^>]+>/g, '').trim()}`);
    show(await newDeliveries());

    head('John texts NEW to the SMS number, then a question in his own words');
    say(`  TwiML reply: ${await sms('+46707654321', 'NEW')}`);
    show(await newDeliveries());
    say(`  TwiML reply to free text: ${await sms('+46707654321', 'Could we do Thursday afternoon instead?')}`);
    show(await newDeliveries());

    head('Saturday 5 Dec 2026, 09:00 Stockholm: the reminders fall due');
    say(`  npm run reminders -- --at 2026-12-05T09:00+01:00 would list them; moving the clock instead.`);
    await api('PUT', '/api/clock', { now: '2026-12-05T08:00:00Z' });
    show(await newDeliveries(2500));
    const after = await api('GET', `/api/interviews/${interviews[0].id}`);
    for (const inv of after.invitations) say(`  ${inv.candidate.name}: ${inv.status}; reminders: ${inv.reminders.map((r: Json) => `${r.kind} ${r.state}${r.reason ? ` (${r.reason})` : ''}`).join(', ')}`);
    say(`\nEverything above is on ${BASE}/outbox while this runs. Done.`);
  } finally {
    app.kill('SIGTERM');
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`demo failed: ${(err as Error)?.stack ?? String(err)}\n`);
  process.exit(1);
});
