import { waitFor } from './support/app';
import { candidate, daysFromNow, project, recruiter } from './support/fixtures';
import { confirmPage } from './support/flows';
import { World } from './support/world';

jest.setTimeout(120_000);
const RITA = 'U0RITA001';
const CHANNEL = 'C0PACED01';
/** Slack's limits at five times their real rate, so that the test takes seconds rather than minutes. */
const LIMITS = { channelPostsPerMinute: 300, channelBurst: 5, updatesPerMinute: 250, updateBurst: 10 };

/**
 * Slack's rate limits, enforced by the stand-in as Slack does (429 with Retry-After): a rush of answers into one
 * channel gets 429s, and the app waits as told and loses nothing, without using up any message's attempts.
 */
describe('Slack rate limits', () => {
  let w: World;
  let projectId: number;
  beforeAll(async () => {
    w = await World.start({ SLACK_UPDATE_WINDOW_MS: '0' }, { limits: LIMITS });
    await recruiter(w.app, RITA, true);
    projectId = (await project(w.app, 'Paced project', { slackChannelId: CHANNEL })).id;
  });
  afterAll(async () => w?.stop());

  it('gets through a rush of answers in one channel over Slack’s 429s: every card final, every reply posted, no attempt used up', async () => {
    // More new interviews than the channel's burst: later cards get 429s, and answers to them come before their
    // cards are posted.
    const interviews = 12;
    const logFrom = w.app.output().length;
    const people: { email: string; name: string; interviewId: number }[] = [];
    for (let i = 0; i < interviews; i++) {
      const apps = [await candidate(w.app, projectId, `Pace${i}a`, 'Rush'), await candidate(w.app, projectId, `Pace${i}b`, 'Rush')];
      const res = await w.app.api('POST', '/api/interviews', { projectId, applicationIds: apps.map((a) => a.id), type: 'phone', date: daysFromNow(7), time: '10:00', createdBy: RITA, sendEmail: true, reminder: { option: 'none' } });
      expect(res.status).toBe(201);
      apps.forEach((a, k) => people.push({ email: a.candidate.email, name: `Pace${i}${k ? 'b' : 'a'} Rush`, interviewId: res.body.id }));
    }
    const answered = await Promise.all(
      people.map(async (p) => {
        const { link, csrf } = await confirmPage(w, p.email);
        return (await fetch(link, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ answer: 'yes', csrf }).toString() })).status;
      }),
    );
    expect(answered).toEqual(people.map(() => 200));
    const cards = await waitFor(() => {
      const posted = [...w.slack.messages.values()].filter((m) => m.channel === CHANNEL && !m.thread_ts);
      return posted.length === interviews && posted;
    }, 30_000, 'a card per interview');

    // Every card ends showing both of its candidates as accepted; every answer is named in its card's thread.
    await waitFor(() => cards.every((c) => (JSON.stringify(w.slack.messages.get(`${CHANNEL}/${c.ts}`)?.blocks).match(/accepted/gi) ?? []).length >= 2), 60_000, 'every card showing its answers');
    await waitFor(() => {
      const replies = [...w.slack.messages.values()].filter((m) => m.channel === CHANNEL && m.thread_ts).map((m) => m.text ?? '').join('\n');
      return people.every((p) => replies.includes(p.name));
    }, 60_000, 'a thread reply naming every candidate');

    // Slack did refuse calls (the test is about them); the app logged them as rate limits, never as failures.
    expect(w.slack.rateLimited().length).toBeGreaterThan(0);
    expect(w.app.output().slice(logFrom)).toMatch(/provider rate limit; will retry/);
    expect(w.app.output().slice(logFrom)).not.toMatch(/delivery failed|temporary delivery failure/);
    const ids = [...new Set(people.map((p) => p.interviewId))];
    const details = await Promise.all(ids.map((id) => w.app.api('GET', `/api/interviews/${id}`)));
    for (const d of details) expect(d.body.invitations.map((i: { status: string }) => i.status)).toEqual(['accepted', 'accepted']);
    // Every Slack row of the rush is settled soon after (none left held by a dispatcher), and 429s and waiting for
    // the card used up no attempt.
    await waitFor(async () => {
      const now = await Promise.all(ids.map((id) => w.app.api('GET', `/api/interviews/${id}`)));
      return now.every((d) => d.body.slackMessages.every((m: { state: string }) => m.state === 'sent'));
    }, 15_000, 'every Slack row sent');
    const rows = (await Promise.all(ids.map((id) => w.app.api('GET', `/api/interviews/${id}`)))).flatMap((d) => d.body.slackMessages as { kind: string; attempts: number }[]);
    expect(rows.filter((r) => r.kind === 'slack.thread').length).toBeGreaterThanOrEqual(people.length);
    expect(rows.filter((r) => r.attempts > 1)).toEqual([]);
  });

  it('does not use up a message’s attempts on Slack’s 429: more 429s than attempts, and it still goes out', async () => {
    const c = await candidate(w.app, projectId, 'Patient', 'Rush');
    w.slack.failNext(10, { status: 429, retryAfter: 0 }, 'chat.postMessage');
    const res = await w.app.api('POST', '/api/interviews', { projectId, applicationIds: [c.id], type: 'phone', date: daysFromNow(8), time: '11:00', createdBy: RITA, sendEmail: false, reminder: { option: 'none' } });
    expect(res.status).toBe(201);
    await waitFor(() => [...w.slack.messages.values()].find((m) => m.channel === CHANNEL && !m.thread_ts && JSON.stringify(m.blocks).includes('Patient Rush')), 30_000, 'the card after ten 429s');
    expect(w.slack.requests.filter((r) => r.status === 429 && r.path.endsWith('chat.postMessage')).length).toBeGreaterThanOrEqual(10);
  });
});
