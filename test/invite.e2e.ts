import { candidate, daysFromNow, project, recruiter } from './support/fixtures';
import { waitFor } from './support/app';
import { World } from './support/world';
import { checkBlockKit } from './standins/slack.standin';

jest.setTimeout(90_000);

const RITA = 'U0RITA001';
const SAM = 'U0SAM0002';

describe('inviting from Slack', () => {
  let w: World;
  beforeAll(async () => {
    w = await World.start();
    await recruiter(w.app, RITA, true);
    await recruiter(w.app, SAM, false, 'Sam Utan-SMS');
  });
  afterAll(async () => w?.stop());

  /** /invite → step 1 → step 2; returns the step-2 view. */
  async function toStep2(user: string, title: string, applicationIds: number[], step1: Record<string, unknown> = {}) {
    const since = Date.now();
    const cmd = await w.command('/invite', user, title);
    expect(cmd.status).toBe(200);
    const view1 = await w.waitForView('invite_step1', since);
    expect(checkBlockKit('modal', view1)).toEqual([]);
    const candidatesBlock = view1.blocks.find((b: any) => b.block_id.startsWith('candidates'));
    const res = await w.submit(view1, user, {
      [candidatesBlock.block_id]: applicationIds.map(String),
      type: 'phone',
      date: daysFromNow(10),
      time: '10:00',
      ...step1,
    });
    expect(res.status).toBe(200);
    if (res.json?.response_action !== 'update') return { errors: res.json?.errors, view: null as any };
    expect(checkBlockKit('modal', res.json.view)).toEqual([]);
    return { view: res.json.view, errors: null };
  }

  async function invite(user: string, title: string, applicationIds: number[], step2: Record<string, unknown> = {}, step1: Record<string, unknown> = {}) {
    const { view } = await toStep2(user, title, applicationIds, step1);
    const res = await w.submit(view, user, { reminder_option: 'none', ...step2 });
    return { step2View: view, res };
  }

  const emailsTo = (email: string) => w.sendgrid.sent.filter((c) => c.body.personalizations.some((p: any) => p.to.some((t: any) => t.email === email)));
  const html = (call: any) => call.body.content.find((c: any) => c.type === 'text/html').value as string;
  const text = (call: any) => call.body.content.find((c: any) => c.type === 'text/plain').value as string;
  const occurrences = (s: string, sub: string) => s.split(sub).length - 1;
  const linkOf = (call: any) => /https?:\/\/[^\s"<>]+\/r\/[A-Za-z0-9_-]+/.exec(text(call))?.[0];

  it('runs /invite → step 1 → step 2 → submit: one email per candidate and the card in the channel', async () => {
    const p = await project(w.app, 'Backend Engineer Göteborg');
    const anna = await candidate(w.app, p.id, 'Anna', 'Lindqvist', { mobile: '0701234567' });
    const john = await candidate(w.app, p.id, 'John', 'Carter', { language: 'en' });
    const { res } = await invite(RITA, 'Backend Engineer Göteborg', [anna.id, john.id], { reminder_option: 'email', reminder_days: '2', location: undefined }, { location: 'Kungsgatan 1, Göteborg' });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ response_action: 'clear' });

    await w.sendgrid.waitFor((calls) => calls.filter((c) => c.status === 202).length >= 2, 15_000);
    expect(emailsTo(anna.candidate.email)).toHaveLength(1);
    expect(emailsTo(john.candidate.email)).toHaveLength(1);
    const annaMail = emailsTo(anna.candidate.email)[0];
    // Sent from the address the operator verified (no project sender here: EMAIL_FROM); replies reach the recruiter.
    expect(annaMail.body.from.email).toBe(w.app.env.EMAIL_FROM ?? 'kallelse@localhost');
    expect(annaMail.body.reply_to).toEqual({ email: 'u0rita001@example.com' });
    expect(annaMail.body.attachments[0].filename).toBe('invite.ics');
    const ics = Buffer.from(annaMail.body.attachments[0].content, 'base64').toString();
    expect(ics).toMatch(/METHOD:REQUEST/);
    expect(ics).toMatch(/UID:invitation-\d+@/);

    const card = await waitFor(() => w.channelMessages('C0HIRING1').find((m) => JSON.stringify(m.blocks ?? null).includes('Anna Lindqvist')), 15_000, 'the card');
    const cardText = JSON.stringify(card.blocks);
    expect(cardText).toContain('Backend Engineer Göteborg');
    expect(cardText).toContain('<@U0RITA001>');
    expect(cardText).toContain('John Carter');
    expect(cardText).toMatch(/2 days before/);
    expect(checkBlockKit('message', { blocks: card.blocks })).toEqual([]);

    const interviews = await w.app.api('GET', `/api/interviews?projectId=${p.id}`);
    expect(interviews.body).toHaveLength(1);
    const detail = await w.app.api('GET', `/api/interviews/${interviews.body[0].id}`);
    expect(detail.body.invitations.map((i: any) => i.status)).toEqual(['pending', 'pending']);
    expect(detail.body.slack).toEqual({ channel: 'C0HIRING1', ts: card.ts });
    expect(detail.body.reminders.filter((r: any) => r.state === 'scheduled')).toHaveLength(2);
    const apps = await w.app.api('GET', `/api/projects/${p.id}/applications`);
    expect(apps.body.map((a: any) => a.status)).toEqual(['invited', 'invited']);
    await waitFor(() => w.slack.calls.find((c) => c.method === 'chat.postMessage' && c.args.channel === RITA), 10_000, 'the confirmation to the inviter');
  });

  /** An invitation through the admin API with its email sent; returns the candidate's link. */
  async function invitedByApi(projectId: number, app: { id: number; candidate: { email: string } }) {
    const r = await w.app.api('POST', '/api/interviews', { projectId, applicationIds: [app.id], type: 'phone', date: daysFromNow(12), time: '09:00', createdBy: RITA, sendEmail: true, reminder: { option: 'none' } });
    expect(r.status).toBe(201);
    const mail = await waitFor(() => emailsTo(app.candidate.email).at(-1), 15_000, 'the invitation email');
    return linkOf(mail)!;
  }

  it('refuses step 2 when a candidate shown in step 1 has withdrawn since, and stores nothing', async () => {
    const p = await project(w.app, 'Withdrawn between steps');
    const anna = await candidate(w.app, p.id, 'Anna', 'Ek');
    const bo = await candidate(w.app, p.id, 'Bo', 'Ek');
    const link = await invitedByApi(p.id, anna);
    const { view } = await toStep2(RITA, 'Withdrawn between steps', [anna.id, bo.id]);
    const page = await (await fetch(link)).text();
    const csrf = /name="csrf" value="([^"]+)"/.exec(page)![1];
    const withdrawn = await fetch(link, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ answer: 'withdraw', confirm: 'yes', csrf }).toString() });
    expect(withdrawn.status).toBe(200);
    const res = await w.submit(view, RITA, { reminder_option: 'none' });
    expect(res.json?.response_action).toBe('errors');
    expect(JSON.stringify(res.json.errors)).toContain('Anna Ek withdrew their application');
    const interviews = await w.app.api('GET', `/api/interviews?projectId=${p.id}`);
    expect(interviews.body).toHaveLength(1);
  });

  it('stores step 2 once when a candidate shown in step 1 was invited elsewhere since (read afresh, still allowed)', async () => {
    const p = await project(w.app, 'Invited between steps');
    const anna = await candidate(w.app, p.id, 'Anna', 'Berg');
    const { view } = await toStep2(RITA, 'Invited between steps', [anna.id]);
    await invitedByApi(p.id, anna);
    const res = await w.submit(view, RITA, { reminder_option: 'none' });
    expect(res.json).toEqual({ response_action: 'clear' });
    const interviews = await w.app.api('GET', `/api/interviews?projectId=${p.id}`);
    expect(interviews.body).toHaveLength(2);
    await w.sendgrid.waitFor(() => emailsTo(anna.candidate.email).length >= 2, 15_000);
    for (const iv of interviews.body) {
      const detail = await w.app.api('GET', `/api/interviews/${iv.id}`);
      expect(detail.body.invitations).toHaveLength(1);
    }
  });

  it('builds step 2 from the candidates /invite listed; a language changed since is refused by name, and a new /invite offers it', async () => {
    const title = 'Language changed between steps';
    const p = await project(w.app, title);
    const anna = await candidate(w.app, p.id, 'Anna', 'Sjö');
    const since = Date.now();
    expect((await w.command('/invite', RITA, title)).status).toBe(200);
    const view1 = await w.waitForView('invite_step1', since);
    const changed = await w.app.api('POST', `/api/projects/${p.id}/applications`, { firstName: 'Anna', lastName: 'Sjö', email: anna.candidate.email, language: 'en' });
    expect(changed.status).toBe(201);
    const block = view1.blocks.find((b: any) => b.block_id.startsWith('candidates'));
    const s1 = await w.submit(view1, RITA, { [block.block_id]: [String(anna.id)], type: 'phone', date: daysFromNow(10), time: '10:00' });
    expect(s1.json?.response_action).toBe('update');
    const step2Blocks = s1.json.view.blocks.map((b: any) => b.block_id);
    expect(step2Blocks).toContain('subject_sv');
    expect(step2Blocks).not.toContain('subject_en');

    const res = await w.submit(s1.json.view, RITA, { reminder_option: 'none' });
    expect(res.json?.response_action).toBe('errors');
    expect(JSON.stringify(res.json.errors)).toContain('Anna Sjö now reads English, and there is no English invitation.');
    expect((await w.app.api('GET', `/api/interviews?projectId=${p.id}`)).body).toHaveLength(0);

    const again = await toStep2(RITA, title, [anna.id]);
    expect(again.view.blocks.map((b: any) => b.block_id)).toContain('subject_en');
  });

  it('defaults the confirm-link option as the seed says and puts the link in every email exactly once', async () => {
    const p = await project(w.app, 'Confirm link project');
    const sv1 = await candidate(w.app, p.id, 'Sara', 'Svensson');
    const sv2 = await candidate(w.app, p.id, 'Sven', 'Sundin');
    const en1 = await candidate(w.app, p.id, 'Emma', 'English', { language: 'en' });
    const checked = (view: any) => (view.blocks.find((b: any) => b.block_id === 'confirm_link').element.initial_options ?? []).length > 0;

    // One candidate, content with the tag → off; the link appears once where the tag stands.
    let s = await toStep2(RITA, 'Confirm link project', [sv1.id]);
    expect(checked(s.view)).toBe(false);
    // One candidate, content without the tag → on; the link is appended once.
    await w.submit(s.view, RITA, { reminder_option: 'none', content_sv: 'Hej {candidate_first_name}! Välkommen.', subject_sv: 'Intervju' });
    const appended = await waitFor(() => emailsTo(sv1.candidate.email)[0], 15_000);
    expect(occurrences(text(appended), '/r/')).toBe(0); // option stayed off as submitted with no tag: no link
    s = await toStep2(RITA, 'Confirm link project', [sv2.id]);
    await w.submit(s.view, RITA, { reminder_option: 'none', content_sv: 'Hej {candidate_first_name}! Välkommen.', subject_sv: 'Intervju', confirm_link: ['confirm_link'] });
    const withOption = await waitFor(() => emailsTo(sv2.candidate.email)[0], 15_000);
    expect(occurrences(text(withOption), '/r/')).toBe(1);
    expect(occurrences(html(withOption), linkOf(withOption)!)).toBe(1);

    // Two languages, tag in both variants → off; tag in only one → on.
    s = await toStep2(RITA, 'Confirm link project', [sv1.id, en1.id]);
    expect(checked(s.view)).toBe(false);
    const both = await w.submit(s.view, RITA, { reminder_option: 'none' });
    expect(both.json).toEqual({ response_action: 'clear' });
    const svMail = await waitFor(() => emailsTo(sv1.candidate.email)[1], 15_000);
    const enMail = await waitFor(() => emailsTo(en1.candidate.email)[0], 15_000);
    for (const m of [svMail, enMail]) {
      expect(occurrences(text(m), '/r/')).toBe(1);
      expect(occurrences(html(m), linkOf(m)!)).toBe(1);
    }
    // The step-2 view for two languages where only one content has the tag: built by the server with the default on.
    const { view: mixed } = await toStep2(RITA, 'Confirm link project', [sv2.id, en1.id]);
    expect(checked(mixed)).toBe(false); // built-in templates both carry the tag
    const res = await w.submit(mixed, RITA, { reminder_option: 'none', content_en: 'Hello {candidate_first_name}, see you!', confirm_link: ['confirm_link'] });
    expect(res.json).toEqual({ response_action: 'clear' });
    const enMail2 = await waitFor(() => emailsTo(en1.candidate.email)[1], 15_000);
    const svMail2 = await waitFor(() => emailsTo(sv2.candidate.email)[1], 15_000);
    for (const m of [enMail2, svMail2]) expect(occurrences(text(m), '/r/')).toBe(1);
  });

  it('gives a Swedish and an English candidate their own language and date format, escapes names, refuses unknown tags by name', async () => {
    const p = await project(w.app, 'Språkprojekt', { timezone: 'Europe/Stockholm' });
    const sv = await candidate(w.app, p.id, '<script>alert(1)</script>', 'Åberg');
    const en = await candidate(w.app, p.id, 'John', 'Carter', { language: 'en' });

    const bad = await toStep2(RITA, 'Språkprojekt', [sv.id, en.id]);
    const refused = await w.submit(bad.view, RITA, { reminder_option: 'none', content_en: 'Hi {candidate_firstname}, see you {interview_date}.' });
    expect(refused.json.response_action).toBe('errors');
    expect(refused.json.errors.content_en).toMatch(/\{candidate_firstname\}/);
    expect((await w.app.api('GET', `/api/interviews?projectId=${p.id}`)).body).toEqual([]);

    const ok = await toStep2(RITA, 'Språkprojekt', [sv.id, en.id], { date: '2030-12-10', time: '10:00' });
    await w.submit(ok.view, RITA, { reminder_option: 'none' });
    const svMail = await waitFor(() => emailsTo(sv.candidate.email)[0], 15_000);
    const enMail = await waitFor(() => emailsTo(en.candidate.email)[0], 15_000);
    expect(text(svMail)).toMatch(/tisdag 10 december 2030/);
    expect(text(enMail)).toMatch(/Tuesday,? 10 December 2030/);
    expect(text(svMail)).toMatch(/10:00/);
    expect(html(svMail)).not.toContain('<script>alert(1)</script>');
    expect(html(svMail)).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(text(svMail)).toContain('<script>alert(1)</script>');
  });

  it('refuses a non-recruiter, a bad signature and a stale timestamp', async () => {
    const nobody = await w.command('/invite', 'U0NOBODY9');
    expect(nobody.status).toBe(200);
    expect(nobody.json.response_type).toBe('ephemeral');
    expect(nobody.json.text).toMatch(/recruiters/);
    const opened = w.slack.calls.filter((c) => c.method === 'views.open').length;
    const body = new URLSearchParams({ command: '/invite', user_id: RITA, trigger_id: 't.1', text: '' }).toString();
    const forged = await w.postSlack(body, { secret: 'wrong-secret' });
    expect(forged.status).toBe(401);
    const stale = await w.postSlack(body, { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 });
    expect(stale.status).toBe(401);
    await new Promise((r) => setTimeout(r, 300));
    expect(w.slack.calls.filter((c) => c.method === 'views.open').length).toBe(opened);
  });

  it('does not give SMS reminders to a recruiter without SMS access, even from a hand-made payload', async () => {
    const p = await project(w.app, 'SMS project');
    const a = await candidate(w.app, p.id, 'Mona', 'Mobil', { mobile: '+46701112233' });
    const { view } = await toStep2(SAM, 'SMS project', [a.id]);
    const options = view.blocks.find((b: any) => b.block_id === 'reminder_option').element.options.map((o: any) => o.value);
    expect(options).not.toContain('sms');
    const forged = await w.submit(view, SAM, { reminder_option: 'sms', reminder_days: '1' });
    expect(forged.json.response_action).toBe('errors');
    expect(forged.json.errors.reminder_option).toMatch(/SMS access/);
    expect((await w.app.api('GET', `/api/interviews?projectId=${p.id}`)).body).toEqual([]);
  });

  it("records a Don't send email invitation without sending an email", async () => {
    const p = await project(w.app, 'Quiet project');
    const a = await candidate(w.app, p.id, 'Tyst', 'Kandidat');
    const before = w.sendgrid.calls.length;
    const { res } = await invite(RITA, 'Quiet project', [a.id], { action: 'dont_send' });
    expect(res.json).toEqual({ response_action: 'clear' });
    const list = await waitFor(async () => (await w.app.api('GET', `/api/interviews?projectId=${p.id}`)).body[0], 10_000);
    expect(list.invitations[0].status).toBe('pending');
    expect((await w.app.api('GET', `/api/projects/${p.id}/applications`)).body[0].status).toBe('invited');
    await waitFor(() => w.channelMessages('C0HIRING1').find((m) => JSON.stringify(m.blocks ?? null).includes('Tyst Kandidat')), 10_000, 'the card');
    expect(w.sendgrid.calls.filter((c) => c.body?.personalizations?.[0]?.to?.[0]?.email === a.candidate.email)).toHaveLength(0);
    expect(w.sendgrid.calls.length).toBe(before);
  });

  it('stores a 55-candidate invitation from Slack once when one of them changed after the modal listed them (read afresh)', async () => {
    const p = await project(w.app, 'Large invitation');
    const apps: Awaited<ReturnType<typeof candidate>>[] = [];
    for (let i = 0; i < 55; i++) apps.push(await candidate(w.app, p.id, `Stor${i}`, `Inbjudan${i}`));
    const { view } = await toStep2(RITA, 'Large invitation', apps.map((a) => a.id));
    const changed = await w.app.api('POST', `/api/projects/${p.id}/applications`, { firstName: 'Stor7', lastName: 'Inbjudan7', email: apps[7].candidate.email, mobile: '+46701112233' });
    expect(changed.status).toBe(201);
    const res = await w.submit(view, RITA, { reminder_option: 'none' });
    expect(res.json).toEqual({ response_action: 'clear' });
    const interviews = await w.app.api('GET', `/api/interviews?projectId=${p.id}`);
    expect(interviews.body).toHaveLength(1);
    const detail = await w.app.api('GET', `/api/interviews/${interviews.body[0].id}`);
    expect(detail.body.invitations).toHaveLength(55);
    expect(new Set(detail.body.invitations.map((i: { id: number }) => i.id)).size).toBe(55);
  });

  it('keeps every Block Kit payload within Slack limits for a 60-candidate project and a 50-candidate invitation', async () => {
    const p = await project(w.app, 'Big project');
    const apps: Awaited<ReturnType<typeof candidate>>[] = [];
    for (let i = 0; i < 60; i++) apps.push(await candidate(w.app, p.id, `Kandidat${i}`, `Efternamn${i}`, i % 2 ? { language: 'en', mobile: `+4670${String(1000000 + i)}` } : {}));
    const { res } = await invite(RITA, 'Big project', apps.slice(0, 50).map((a) => a.id));
    expect(res.json).toEqual({ response_action: 'clear' });
    await w.sendgrid.waitFor((calls) => apps.slice(0, 50).every((a) => calls.some((c) => c.body?.personalizations?.[0]?.to?.[0]?.email === a.candidate.email)), 30_000);
    const card = await waitFor(() => w.channelMessages('C0HIRING1').find((m) => JSON.stringify(m.blocks ?? null).includes('Kandidat49')), 15_000, 'the card');
    expect(checkBlockKit('message', { blocks: card.blocks })).toEqual([]);
    const rejected = w.slack.calls.filter((c) => !c.ok);
    expect(rejected).toEqual([]);
  });
});
