import { randomBytes } from 'node:crypto';
import { waitFor } from './support/app';
import { candidate, project, recruiter } from './support/fixtures';
import { confirmLinkFor, inviteViaSlack } from './support/flows';
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
  const pages = await Promise.all(
    apps.map(async (a) => {
      const link = `${w.app.url}${new URL(await confirmLinkFor(w, a.candidate.email)).pathname}`;
      const csrf = /name="csrf" value="([^"]+)"/.exec(await (await fetch(link)).text())![1];
      return { link, csrf };
    }),
  );
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
