import * as path from 'node:path';
import { ROOT, runNode, waitFor } from './support/app';
import { candidate, project, recruiter } from './support/fixtures';
import { confirmLinkFor, inviteViaSlack } from './support/flows';
import { checkBlockKit } from './standins/slack.standin';
import { World } from './support/world';

jest.setTimeout(90_000);
const RITA = 'U0RITA001';

describe('the recruitment calendar, the card buttons and the reminder listing', () => {
  let w: World;
  let projectId: number;
  let interviewId: number;
  let anna: Awaited<ReturnType<typeof candidate>>;
  beforeAll(async () => {
    w = await World.start({ CLOCK: 'manual' });
    await w.setClock('2030-02-01T09:00:00Z');
    await recruiter(w.app, RITA, true);
    projectId = (await project(w.app, 'Calendar project')).id;
    anna = await candidate(w.app, projectId, 'Anna', 'Kalender', { mobile: '+46701230001' });
    const iv = await inviteViaSlack(w, RITA, 'Calendar project', projectId, [anna.id], { step1: { date: '2030-02-08', time: '10:00' }, step2: { reminder_option: 'sms_email', reminder_days: '2' } });
    interviewId = iv.id;
  });
  afterAll(async () => w?.stop());

  it('/interviews answers with the next 14 days, each candidate’s status and the next reminder', async () => {
    const res = await w.command('/interviews', RITA);
    expect(res.status).toBe(200);
    expect(res.json.response_type).toBe('ephemeral');
    const text = JSON.stringify(res.json.blocks);
    expect(text).toContain('Calendar project');
    expect(text).toContain('Anna Kalender');
    expect(text).toMatch(/Wed 6 Feb|6 Feb/);
    expect(checkBlockKit('message', { blocks: res.json.blocks })).toEqual([]);
    const stranger = await w.command('/interviews', 'U0STRANGE1');
    expect(stranger.json.text).toMatch(/recruiters/);
    expect(JSON.stringify(stranger.json)).not.toContain('Anna');
  });

  it('publishes the App Home tab on app_home_opened', async () => {
    const body = JSON.stringify({ type: 'event_callback', team_id: 'T0TEST', api_app_id: 'A0TEST', event: { type: 'app_home_opened', user: RITA, channel: 'D0RITA', tab: 'home', event_ts: '1.0' }, event_id: 'Ev1', event_time: 1 });
    const res = await w.postSlack(body, { contentType: 'application/json' });
    expect(res.status).toBe(200);
    const call = await waitFor(() => w.slack.calls.find((c) => c.method === 'views.publish' && c.args.user_id === RITA), 10_000, 'views.publish');
    expect(call.ok).toBe(true);
    expect(JSON.stringify(call.args.view)).toContain('Anna Kalender');
  });

  it('answers Slack’s url_verification challenge', async () => {
    const res = await w.postSlack(JSON.stringify({ type: 'url_verification', challenge: 'abc123', token: 'x' }), { contentType: 'application/json' });
    expect(res.status).toBe(200);
    expect(res.text).toContain('abc123');
  });

  it('Resend invitation sends new links; the old link stops working', async () => {
    const oldLink = `${w.app.url}${new URL(await confirmLinkFor(w, anna.candidate.email)).pathname}`;
    expect((await fetch(oldLink)).status).toBe(200);
    const before = w.sendgrid.sent.length;
    await w.blockAction(RITA, { action_id: 'card_resend', value: String(interviewId), type: 'button' }, { channel: { id: 'C0HIRING1' } });
    await w.sendgrid.waitFor((calls) => calls.filter((c) => c.status === 202).length > before, 10_000);
    const newLink = `${w.app.url}${new URL(await confirmLinkFor(w, anna.candidate.email)).pathname}`;
    expect(newLink).not.toBe(oldLink);
    expect((await fetch(oldLink)).status).toBe(404);
    expect((await fetch(newLink)).status).toBe(200);
    await waitFor(() => w.slack.ephemerals.find((e) => e.user === RITA && /on its way again/.test(e.text ?? '')), 10_000, 'the ephemeral confirmation');
  });

  it('waits out a Slack 429 with Retry-After and then edits the card', async () => {
    // Card edits of earlier tests go out at the end of their SLACK_UPDATE_WINDOW_MS; the 429 is for this answer's edit.
    for (let seen = -1; seen !== w.slack.calls.length; ) {
      seen = w.slack.calls.length;
      await new Promise((r) => setTimeout(r, 1500));
    }
    w.slack.failNext(1, { status: 429, retryAfter: 1 }, 'chat.update');
    const link = `${w.app.url}${new URL(await confirmLinkFor(w, anna.candidate.email)).pathname}`;
    const html = await (await fetch(link)).text();
    const csrf = /name="csrf" value="([^"]+)"/.exec(html)![1];
    const started = Date.now();
    await fetch(link, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ answer: 'yes', csrf }).toString() });
    const edited = await waitFor(() => w.slack.calls.find((c) => c.method === 'chat.update' && c.ok && c.at >= started && /accepted/.test(JSON.stringify(c.args.blocks))), 20_000, 'the card after the 429');
    expect(edited.at - started).toBeGreaterThanOrEqual(900);
    expect(w.slack.requests.filter((r) => r.path.endsWith('chat.update') && r.at >= started).length).toBeGreaterThanOrEqual(2);
  });

  it('npm run reminders -- --at lists what would be sent at that moment, sending nothing', async () => {
    const sentBefore = w.twilio.sent.length;
    const run = await runNode([path.join(ROOT, 'dist/cli/reminders.js'), '--at', '2030-02-06T09:00+01:00', '--json'], { DATABASE_URL: w.app.databaseUrl });
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(out.reminders.map((r: any) => `${r.kind}:${r.action}`).sort()).toEqual(['reminder.email:send', 'reminder.sms:send']);
    const early = JSON.parse((await runNode([path.join(ROOT, 'dist/cli/reminders.js'), '--at', '2030-02-06T08:59+01:00', '--json'], { DATABASE_URL: w.app.databaseUrl })).stdout);
    expect(early.reminders).toEqual([]);
    const bad = await runNode([path.join(ROOT, 'dist/cli/reminders.js'), '--at', 'tomorrow'], { DATABASE_URL: w.app.databaseUrl });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/not an ISO time/);
    expect(w.twilio.sent.length).toBe(sentBefore);
  });
});
