import { waitFor } from './support/app';
import { candidate, daysFromNow, project, recruiter } from './support/fixtures';
import { confirmLinkFor, inviteViaSlack } from './support/flows';
import { signTwilioRequest } from './support/signing';
import { TWILIO_TOKEN, World } from './support/world';

jest.setTimeout(90_000);
const RITA = 'U0RITA001';

describe('candidate answers', () => {
  let w: World;
  let projectId: number;
  beforeAll(async () => {
    w = await World.start();
    await recruiter(w.app, RITA, true);
    projectId = (await project(w.app, 'Answers project')).id;
  });
  afterAll(async () => w?.stop());

  /** The link a candidate got, as the app built it; requests go to the app under test. */
  const local = (link: string) => `${w.app.url}${new URL(link).pathname}`;
  const csrf = (html: string) => /name="csrf" value="([^"]+)"/.exec(html)![1];

  async function inviteOne(first: string, opts: Record<string, unknown> = {}, step1: Record<string, unknown> = {}) {
    const c = await candidate(w.app, projectId, first, 'Test', opts);
    const detail = await inviteViaSlack(w, RITA, 'Answers project', projectId, [c.id], { step1 });
    const card = await waitFor(() => [...w.slack.messages.values()].find((m) => !m.thread_ts && JSON.stringify(m.blocks ?? null).includes(`${first} Test`)), 15_000, 'card');
    return { c, detail, card, invitationId: detail.invitations[0].id as number };
  }

  const invitation = async (interviewId: number) => (await w.app.api('GET', `/api/interviews/${interviewId}`)).body.invitations[0];

  /** A Twilio-signed inbound SMS; a parameter given as undefined (in `extra`, or the body) is left out. */
  async function sms(from: string, body: string | undefined, extra: Record<string, string | undefined> = {}, token = TWILIO_TOKEN) {
    const all = { MessageSid: `SM${Math.random().toString(16).slice(2).padEnd(32, '0')}`, AccountSid: 'AC0', From: from, To: '+46700000000', Body: body, NumMedia: '0', ...extra };
    const params = Object.fromEntries(Object.entries(all).filter((e): e is [string, string] => e[1] !== undefined));
    // Twilio signs with the URL it was configured with: PUBLIC_BASE_URL + path.
    const url = `http://localhost:${w.app.port}/sms/inbound`;
    const res = await fetch(`${w.app.url}/sms/inbound`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', 'x-twilio-signature': signTwilioRequest(token, url, params) },
      body: new URLSearchParams(params).toString(),
    });
    return { status: res.status, text: await res.text(), sid: params.MessageSid };
  }

  async function expectCardAndThread(card: { channel: string; ts: string }, status: RegExp) {
    await waitFor(() => w.slack.calls.find((c) => c.method === 'chat.update' && c.ok && c.args.ts === card.ts && status.test(JSON.stringify(c.args.blocks))), 15_000, `card edited in place showing ${status}`);
    await waitFor(() => [...w.slack.messages.values()].find((m) => m.thread_ts === card.ts && /<@U0RITA001>/.test(m.text ?? '')), 15_000, 'thread reply mentioning the recruiter');
  }

  it.each([
    ['yes', 'accepted', /accepted/],
    ['no', 'declined', /declined/],
    ['new_time', 'new_time_requested', /new time/],
  ])('by link: %s → %s, card edited in place, reply in the thread', async (answer, status, cardText) => {
    const { c, detail, card } = await inviteOne(`Link${answer.replace('_', '')}`);
    const link = local(await confirmLinkFor(w, c.candidate.email));
    const page = await fetch(link);
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain('Answers project');
    expect((await invitation(detail.id)).status).toBe('pending');
    const post = await fetch(link, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ answer, csrf: csrf(html) }).toString() });
    expect(post.status).toBe(200);
    expect((await invitation(detail.id)).status).toBe(status);
    await expectCardAndThread(card, cardText);
    // Repeating the POST gives the same result and one history entry.
    await fetch(link, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ answer, csrf: csrf(html) }).toString() });
    const inv = await invitation(detail.id);
    expect(inv.history.filter((h: any) => h.action.startsWith('answered_'))).toHaveLength(1);
    expect(inv.history.at(-1)).toMatchObject({ actor: 'candidate', channel: 'link' });
  });

  it('by link: withdrawal asks for a confirmation, then withdraws the application; a GET alone changes nothing', async () => {
    const { c, detail, card } = await inviteOne('Linkwithdraw');
    const link = local(await confirmLinkFor(w, c.candidate.email));
    for (let i = 0; i < 3; i++) expect((await fetch(link)).status).toBe(200);
    const html = await (await fetch(link)).text();
    expect((await invitation(detail.id)).history.filter((h: any) => h.actor === 'candidate')).toHaveLength(0);
    const first = await fetch(link, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ answer: 'withdraw', csrf: csrf(html) }).toString() });
    const confirmPage = await first.text();
    expect(confirmPage).toMatch(/name="confirm"[^>]*value="yes"|value="yes"[^>]*name="confirm"/);
    expect((await invitation(detail.id)).status).toBe('pending');
    const second = await fetch(link, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ answer: 'withdraw', confirm: 'yes', csrf: csrf(html) }).toString() });
    expect(second.status).toBe(200);
    expect((await invitation(detail.id)).status).toBe('withdrawn');
    const apps = (await w.app.api('GET', `/api/projects/${projectId}/applications`)).body;
    expect(apps.find((a: any) => a.candidateId === c.candidateId).status).toBe('withdrawn');
    await expectCardAndThread(card, /withdr/);
    const after = await fetch(link, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ answer: 'yes', csrf: csrf(html) }).toString() });
    expect(after.status).toBe(409);
    expect((await invitation(detail.id)).status).toBe('withdrawn');
  });

  it('an unknown token gets a 404 page that reveals nothing', async () => {
    const res = await fetch(`${w.app.url}/r/AAAAAAAAAAAAAAAAAAAAAAAA`);
    expect(res.status).toBe(404);
    const html = await res.text();
    expect(html).not.toMatch(/Answers project|AAAAAAAA/);
  });

  it.each([
    ['YES', 'accepted'],
    ['  ja!! ', 'accepted'],
    ['No.', 'declined'],
    ['nej', 'declined'],
    ['New', 'new_time_requested'],
    ['NY?', 'new_time_requested'],
    ['withdraw', 'withdrawn'],
    ['Återkalla', 'withdrawn'],
  ])('by SMS: %j → %s, with the card edited and a thread reply', async (body, status) => {
    const mobile = `+4670${Math.floor(1000000 + Math.random() * 8999999)}`;
    const { detail, card } = await inviteOne(`Sms${status.replace(/_/g, '')}${body.replace(/\W/g, '').slice(0, 3)}`, { mobile, language: /^[A-Z ]*[a-z]/.test(body) && /ja|nej|ny|åter/i.test(body) ? 'sv' : 'en' });
    const res = await sms(mobile, body);
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/<Response><Message>.+<\/Message><\/Response>/);
    expect((await invitation(detail.id)).status).toBe(status);
    await expectCardAndThread(card, status === 'accepted' ? /accepted/ : status === 'declined' ? /declined/ : status === 'withdrawn' ? /withdr/ : /new time/);
    const inv = await invitation(detail.id);
    expect(inv.history.at(-1)).toMatchObject({ actor: 'candidate', channel: 'sms', raw: body });
  });

  it('refuses a bad Twilio signature with 403 and changes nothing', async () => {
    const mobile = '+46709990001';
    const { detail } = await inviteOne('Forged', { mobile });
    const res = await sms(mobile, 'YES', {}, 'not-the-token');
    expect(res.status).toBe(403);
    expect((await invitation(detail.id)).status).toBe('pending');
  });

  it('answers an unknown number politely and changes nothing', async () => {
    const res = await sms('+46708887766', 'YES');
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/<Message>[^<]+<\/Message>/);
  });

  it('answers racing on one invitation (link and SMS at once) each count once: every change in the history, none twice in a row', async () => {
    const mobile = '+46709990011';
    const { c, detail } = await inviteOne('Racer', { mobile });
    const link = local(await confirmLinkFor(w, c.candidate.email));
    const token = csrf(await (await fetch(link)).text());
    const post = (answer: string) => fetch(link, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ answer, csrf: token }).toString() });
    for (let round = 0; round < 3; round++) {
      const results = await Promise.all([post('yes'), post('yes'), post('no'), post('new_time'), sms(mobile, 'JA'), sms(mobile, 'NEJ'), post('yes'), sms(mobile, 'YES')]);
      expect(results.map((r) => r.status).filter((st) => st !== 200)).toEqual([]);
    }
    const inv = await invitation(detail.id);
    const answers = inv.history.filter((h: any) => h.action.startsWith('answered_')).map((h: any) => h.action);
    expect(answers.length).toBeGreaterThan(0);
    for (let i = 1; i < answers.length; i++) expect(answers[i]).not.toBe(answers[i - 1]);
    expect(answers.at(-1)).toBe(`answered_${inv.status}`);
  });

  it('applies a repeated MessageSid once', async () => {
    const mobile = '+46709990002';
    const { detail } = await inviteOne('Twice', { mobile });
    const sid = 'SM' + 'a'.repeat(32);
    const first = await sms(mobile, 'NO', { MessageSid: sid });
    const second = await sms(mobile, 'NO', { MessageSid: sid });
    expect(second.text).toBe(first.text);
    const inv = await invitation(detail.id);
    expect(inv.status).toBe('declined');
    expect(inv.history.filter((h: any) => h.actor === 'candidate')).toHaveLength(1);
  });

  it('posts free text in the thread and answers with the keywords', async () => {
    const mobile = '+46709990003';
    const { detail, card } = await inviteOne('Chatty', { mobile });
    const res = await sms(mobile, "I'll be 10 minutes late");
    expect(res.text).toMatch(/YES|JA/);
    await waitFor(() => [...w.slack.messages.values()].find((m) => m.thread_ts === card.ts && /10 minutes late/.test(m.text ?? '')), 15_000, 'free text in thread');
    expect((await invitation(detail.id)).status).toBe('pending');
  });

  it('a signed SMS without MessageSid or From is a 400 naming the field, after the signature check; nothing is stored', async () => {
    const mobile = '+46709990021';
    const { detail } = await inviteOne('Sidless', { mobile });
    for (const [extra, field] of [
      [{ MessageSid: undefined }, 'MessageSid'],
      [{ MessageSid: '' }, 'MessageSid'],
      [{ From: undefined }, 'From'],
      [{ From: '' }, 'From'],
    ] as const) {
      const res = await sms(mobile, 'YES', extra);
      expect(res.status).toBe(400);
      expect(JSON.parse(res.text).fields).toEqual({ [field]: expect.stringMatching(/^is required/) });
    }
    expect((await sms(mobile, 'YES', { MessageSid: undefined }, 'not-the-token')).status).toBe(403);
    const untouched = await invitation(detail.id);
    expect(untouched.status).toBe('pending');
    expect(untouched.history.filter((h: any) => h.actor === 'candidate')).toEqual([]);
    expect((await sms(mobile, 'NO')).status).toBe(200);
    expect((await invitation(detail.id)).status).toBe('declined');
  });

  it('an SMS without a Body, or with only spaces, is answered with the keywords and posts no empty note', async () => {
    const mobile = '+46709990022';
    const { detail } = await inviteOne('Silent', { mobile, language: 'en' });
    const ref = detail.invitations[0].ref as string;
    for (const body of [undefined, '', '  \n ']) {
      const res = await sms(mobile, body);
      expect(res.status).toBe(200);
      expect(res.text).toContain(`Reply YES to confirm, NO to decline, NEW for a new time or WITHDRAW to withdraw your application, e.g. &quot;YES ${ref}&quot;`);
    }
    const inv = await invitation(detail.id);
    expect(inv.status).toBe('pending');
    expect(inv.history.filter((h: any) => h.actor === 'candidate')).toEqual([]);
  });

  it('with two open invitations for one number: the reference picks one, without it the earliest upcoming', async () => {
    const mobile = '+46709990004';
    const c = await candidate(w.app, projectId, 'Double', 'Booked', { mobile, language: 'en' });
    const later = await inviteViaSlack(w, RITA, 'Answers project', projectId, [c.id], { step1: { date: daysFromNow(20) } });
    const earlier = await inviteViaSlack(w, RITA, 'Answers project', projectId, [c.id], { step1: { date: daysFromNow(5) } });
    const laterRef = later.invitations[0].ref;
    await sms(mobile, `NO ${laterRef}`);
    expect((await invitation(later.id)).status).toBe('declined');
    expect((await invitation(earlier.id)).status).toBe('pending');
    await sms(mobile, 'yes');
    expect((await invitation(earlier.id)).status).toBe('accepted');
    expect((await invitation(later.id)).status).toBe('declined');
  });

  it('a "no" by SMS can be changed to "yes" until the interview: with the reference it reaches that interview, with one invitation without it', async () => {
    const mobile = '+46709990005';
    const c = await candidate(w.app, projectId, 'Changed', 'Mind', { mobile, language: 'en' });
    const first = await inviteViaSlack(w, RITA, 'Answers project', projectId, [c.id], { step1: { date: daysFromNow(6) } });
    const second = await inviteViaSlack(w, RITA, 'Answers project', projectId, [c.id], { step1: { date: daysFromNow(9) } });
    const firstRef = first.invitations[0].ref;
    await sms(mobile, `NO ${firstRef}`);
    expect((await invitation(first.id)).status).toBe('declined');
    const res = await sms(mobile, `YES ${firstRef}`);
    expect(res.text).not.toMatch(/can no longer be changed/);
    expect((await invitation(first.id)).status).toBe('accepted');
    expect((await invitation(second.id)).status).toBe('pending');

    const lone = '+46709990006';
    const { detail } = await inviteOne('Lonely', { mobile: lone, language: 'en' });
    await sms(lone, 'no');
    expect((await invitation(detail.id)).status).toBe('declined');
    await sms(lone, 'yes');
    expect((await invitation(detail.id)).status).toBe('accepted');
  });

  it('a "YES" that Twilio marks as an opt-in (OptOutType=START) is an answer too', async () => {
    const mobile = '+46709990007';
    const { detail } = await inviteOne('Optin', { mobile, language: 'en' });
    await sms(mobile, 'STOP', { OptOutType: 'STOP' });
    expect((await invitation(detail.id)).status).toBe('pending');
    const res = await sms(mobile, 'YES', { OptOutType: 'START' });
    expect(res.status).toBe(200);
    expect((await invitation(detail.id)).status).toBe('accepted');
    expect((await invitation(detail.id)).history.at(-1)).toMatchObject({ actor: 'candidate', action: 'answered_accepted', channel: 'sms' });
  });

  it('withdrawing voids the application: its other upcoming invitations are withdrawn too, their cards say so, and they take no more answers', async () => {
    const mobile = '+46709990008';
    const c = await candidate(w.app, projectId, 'Leaving', 'Soon', { mobile, language: 'en' });
    const stays = await inviteViaSlack(w, RITA, 'Answers project', projectId, [c.id], { step1: { date: daysFromNow(7) } });
    const answered = await inviteViaSlack(w, RITA, 'Answers project', projectId, [c.id], { step1: { date: daysFromNow(10) } });
    await sms(mobile, `YES ${stays.invitations[0].ref}`);
    const res = await sms(mobile, `WITHDRAW ${answered.invitations[0].ref}`);
    expect(res.status).toBe(200);
    expect((await invitation(answered.id)).status).toBe('withdrawn');
    const other = await invitation(stays.id);
    expect(other.status).toBe('withdrawn');
    expect(other.history.at(-1)).toMatchObject({ actor: 'candidate', action: 'answered_withdrawn', channel: 'sms' });
    const card = await waitFor(async () => (await w.app.api('GET', `/api/interviews/${stays.id}`)).body.slack, 15_000, 'the other card');
    await waitFor(() => [...w.slack.messages.values()].find((m) => m.thread_ts === card.ts && /withdr/.test(m.text ?? '')), 15_000, 'the withdrawal in the other card\'s thread');
    const again = await sms(mobile, `YES ${stays.invitations[0].ref}`);
    expect(again.text).toMatch(/can no longer be changed/);
    expect((await invitation(stays.id)).status).toBe('withdrawn');
  });
});
