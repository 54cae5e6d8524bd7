import { randomBytes } from 'node:crypto';
import { waitFor } from './support/app';
import { candidate, project, recruiter } from './support/fixtures';
import { confirmPage, inviteViaSlack } from './support/flows';
import { World } from './support/world';
import type { SlackCall } from './standins/slack.standin';

jest.setTimeout(120_000);
const RITA = 'U0RITA001';
const FIRST_NAMES = ['Alva', 'Bruno', 'Cleo', 'Dante', 'Edith', 'Frans'];
const ANSWERS = [
  ['yes', 'accepted'],
  ['no', 'declined'],
  ['new_time', 'asks for a new time'],
];

const form = (fields: Record<string, string>) => ({ method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });
const occurrences = (text: string, sub: string) => text.split(sub).length - 1;

/** One interview of six candidates plus a late one; the six answer by link all at once, then the late one answers. */
async function burstOfAnswers(w: World) {
  const tag = randomBytes(4).toString('hex').replace(/\d/g, (d) => 'ghijklmnop'[Number(d)]);
  const lastName = `Window${tag}`;
  const p = await project(w.app, `Burst ${tag}`);
  const people = [...FIRST_NAMES, 'Late'].map((first, i) => ({ first, name: `${first} ${lastName}`, answer: ANSWERS[i % ANSWERS.length] }));
  const apps = await Promise.all(people.map((c) => candidate(w.app, p.id, c.first, lastName)));
  const detail = await inviteViaSlack(w, RITA, p.title, p.id, apps.map((a) => a.id));
  const card = await waitFor(async () => (await w.app.api('GET', `/api/interviews/${detail.id}`)).body.slack as { channel: string; ts: string } | null, 15_000, 'the card');
  const pages = await Promise.all(apps.map((a) => confirmPage(w, a.candidate.email)));
  const answer = (i: number) => fetch(pages[i].link, form({ answer: people[i].answer[0], csrf: pages[i].csrf }));

  const since = Date.now();
  const burst = await Promise.all(FIRST_NAMES.map((_, i) => answer(i)));
  expect(burst.map((r) => r.status)).toEqual(FIRST_NAMES.map(() => 200));

  const replies = () => w.slack.okCalls('chat.postMessage').filter((c) => c.args.thread_ts === card.ts && c.at >= since);
  const updates = () => w.slack.okCalls('chat.update').filter((c) => c.args.channel === card.channel && c.args.ts === card.ts && c.at >= since);
  const shows = (update: SlackCall | undefined, who: typeof people) => !!update && who.every((c) => JSON.stringify(update.args.blocks).includes(`${c.name} — ${c.answer[1]}`));
  const repliesText = () => replies().map((c) => String(c.args.text)).join('\n');
  const burstPeople = people.slice(0, FIRST_NAMES.length);

  await waitFor(() => burstPeople.every((c) => repliesText().includes(c.name)), 15_000, 'a thread reply for every answer');
  await waitFor(() => shows(updates().at(-1), burstPeople), 15_000, 'the card showing every answer');
  const burstReplies = replies().length;

  expect((await answer(FIRST_NAMES.length)).status).toBe(200);
  await waitFor(() => repliesText().includes(people.at(-1)!.name), 15_000, "the late candidate's reply");
  await waitFor(() => shows(updates().at(-1), people), 15_000, "the card showing the late candidate's answer");

  return { people, updates, repliesText, burstReplies };
}

describe('Slack work of candidates in one window (SLACK_UPDATE_WINDOW_MS default)', () => {
  let w: World;
  beforeAll(async () => {
    w = await World.start();
    await recruiter(w.app, RITA, true);
  });
  afterAll(async () => w?.stop());

  it('answers of one burst share thread replies and card edits; each candidate is in the thread once', async () => {
    const n = FIRST_NAMES.length;
    const { people, updates, repliesText, burstReplies } = await burstOfAnswers(w);
    expect(burstReplies).toBeLessThan(n);
    for (const c of people) expect(occurrences(repliesText(), c.name)).toBe(1);
    expect(updates().length).toBeLessThan(n);
  });
});

describe('Slack work of candidates with SLACK_UPDATE_WINDOW_MS=0', () => {
  let w: World;
  beforeAll(async () => {
    w = await World.start({ SLACK_UPDATE_WINDOW_MS: '0' });
    await recruiter(w.app, RITA, true);
  });
  afterAll(async () => w?.stop());

  it('still puts every answer in the thread once and leaves the card showing every answer', async () => {
    const { people, repliesText } = await burstOfAnswers(w);
    for (const c of people) expect(occurrences(repliesText(), c.name)).toBe(1);
  });
});

describe('Slack work of candidates spread over time (SLACK_ANSWER_EDITS_PER_MINUTE)', () => {
  let w: World;
  beforeAll(async () => {
    // 300 a minute: after a burst of 20, one interview's edit every 200 ms.
    w = await World.start({ SLACK_UPDATE_WINDOW_MS: '0', SLACK_ANSWER_EDITS_PER_MINUTE: '300' });
    await recruiter(w.app, RITA, true);
  });
  afterAll(async () => w?.stop());

  it('lets a burst of interviews through at once and the rest one per interval, and loses no answer', async () => {
    const interviews = 26;
    const p = await project(w.app, 'Spread answers');
    const people: { name: string; email: string; interviewId: number }[] = [];
    for (let i = 0; i < interviews; i++) {
      const a = await candidate(w.app, p.id, `Spread${'abcdefghijklmnopqrstuvwxyz'[i]}`, 'Paced');
      const res = await w.app.api('POST', '/api/interviews', { projectId: p.id, applicationIds: [a.id], type: 'phone', date: new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10), time: '10:00', createdBy: RITA, sendEmail: true, reminder: { option: 'none' } });
      expect(res.status).toBe(201);
      people.push({ name: `Spread${'abcdefghijklmnopqrstuvwxyz'[i]} Paced`, email: a.candidate.email, interviewId: res.body.id });
    }
    const cards = await waitFor(async () => {
      const all = await Promise.all(people.map(async (c) => (await w.app.api('GET', `/api/interviews/${c.interviewId}`)).body.slack as { channel: string; ts: string } | null));
      return all.every(Boolean) && (all as { channel: string; ts: string }[]);
    }, 30_000, 'every card posted');
    const pages = await Promise.all(people.map((c) => confirmPage(w, c.email)));
    const since = Date.now();
    const answered = await Promise.all(pages.map((pg) => fetch(pg.link, form({ answer: 'yes', csrf: pg.csrf }))));
    expect(answered.map((r) => r.status)).toEqual(people.map(() => 200));

    const edits = () => w.slack.okCalls('chat.update').filter((c) => c.at >= since && cards.some((k) => k.ts === c.args.ts));
    await waitFor(() => cards.every((k) => edits().some((c) => c.args.ts === k.ts && JSON.stringify(c.args.blocks).includes('accepted'))), 30_000, 'every card showing its answer');
    await waitFor(() => {
      const text = w.slack.okCalls('chat.postMessage').filter((c) => c.at >= since && c.args.thread_ts).map((c) => String(c.args.text)).join('\n');
      return people.every((c) => occurrences(text, c.name) === 1);
    }, 30_000, 'one thread reply per answer');

    // 26 interviews: 20 at once, then 6 more at least 200 ms apart, so the last edit comes at least a second after the first.
    const at = edits().map((c) => c.at).sort((a, b) => a - b);
    expect(at).toHaveLength(interviews);
    expect(at[at.length - 1] - at[0]).toBeGreaterThanOrEqual(1000);
  });
});

describe('A rush of answers to one interview (more replies than one thread message holds)', () => {
  let w: World;
  beforeAll(async () => {
    // A manual clock and a long window: every answer below is due at the same moment, and all are sent together.
    w = await World.start({ CLOCK: 'manual', SLACK_UPDATE_WINDOW_MS: '60000' });
    await w.setClock('2030-05-01T09:00:00.123Z');
    await recruiter(w.app, RITA, true);
  });
  afterAll(async () => w?.stop());

  it('posts the replies in messages of at most 40 lines and edits the card once for all of them', async () => {
    const count = 45;
    const p = await project(w.app, 'Rush of answers');
    const apps: Awaited<ReturnType<typeof candidate>>[] = [];
    for (let i = 0; i < count; i++) apps.push(await candidate(w.app, p.id, `Rush${String(i).padStart(2, '0')}`, 'Many'));
    const res = await w.app.api('POST', '/api/interviews', { projectId: p.id, applicationIds: apps.map((a) => a.id), type: 'phone', date: '2030-05-10', time: '10:00', createdBy: RITA, sendEmail: true, reminder: { option: 'none' } });
    expect(res.status).toBe(201);
    const card = await waitFor(async () => (await w.app.api('GET', `/api/interviews/${res.body.id}`)).body.slack as { channel: string; ts: string } | null, 30_000, 'the card');
    const pages = await Promise.all(apps.map((a) => confirmPage(w, a.candidate.email)));
    const since = Date.now();
    const answered = await Promise.all(pages.map((pg) => fetch(pg.link, form({ answer: 'yes', csrf: pg.csrf }))));
    expect(answered.map((r) => r.status)).toEqual(apps.map(() => 200));
    const rows = (await w.app.api('GET', `/api/interviews/${res.body.id}`)).body.slackMessages as { kind: string; state: string; scheduledFor: string }[];
    const waiting = rows.filter((r) => r.kind === 'slack.thread' && r.state === 'scheduled');
    expect(waiting).toHaveLength(count);
    expect(new Set(waiting.map((r) => r.scheduledFor)).size).toBe(1);

    await w.setClock('2030-05-01T09:01:01.123Z');
    const replies = () => w.slack.okCalls('chat.postMessage').filter((c) => c.at >= since && c.args.thread_ts === card.ts);
    await waitFor(() => apps.every((_, i) => replies().some((c) => String(c.args.text).includes(`Rush${String(i).padStart(2, '0')} Many`))), 30_000, 'a reply naming every candidate');
    expect(replies().map((c) => String(c.args.text).split('\n').length).sort((a, b) => b - a)).toEqual([40, 5]);
    // One edit for the answers, and one more when a refresh of the email progress was still waiting (the clock
    // stood still while the invitations went out).
    const progressRefresh = rows.some((r) => r.kind === 'slack.card' && r.state === 'scheduled');
    const edits = w.slack.okCalls('chat.update').filter((c) => c.at >= since && c.args.ts === card.ts);
    expect(edits).toHaveLength(progressRefresh ? 2 : 1);
    for (const e of edits) expect((JSON.stringify(e.args.blocks).match(/accepted/g) ?? []).length).toBeGreaterThanOrEqual(count);
  });
});
