import { waitFor } from './support/app';
import { candidate, project, recruiter } from './support/fixtures';
import { World } from './support/world';

jest.setTimeout(120_000);
const RITA = 'U0RITA001';

/**
 * EMAIL_BATCH_SIZE > 1: the due email reminders of one interview go to SendGrid as one request per language, a
 * personalization per candidate with substitutions. The stand-in expands them as SendGrid does; each candidate
 * must get exactly their own email.
 */
describe('email reminders batched into SendGrid personalizations', () => {
  let w: World;
  beforeAll(async () => {
    w = await World.start({ CLOCK: 'manual', EMAIL_BATCH_SIZE: '10' });
    await w.setClock('2030-03-01T10:00:00Z');
    await recruiter(w.app, RITA, true);
  });
  afterAll(async () => w?.stop());

  const firstNames = ['Ada', "O'Brien & <Co>", 'محمد', '👩‍💻 Zoë', 'Åsa-Märta', 'Bo', 'Cy', 'Di', 'Ev', 'Fu', 'Gi', 'Hå', 'Ib', 'Jo'];

  it('gives each candidate exactly their own reminder, in fewer requests; a refused request is retried as a whole', async () => {
    const p = await project(w.app, 'Batch project');
    const people = await Promise.all(firstNames.map((n, i) => candidate(w.app, p.id, n, `Batch${i}`, { language: i % 3 ? 'sv' : 'en' })));
    const res = await w.app.api('POST', '/api/interviews', {
      projectId: p.id,
      applicationIds: people.map((x) => x.id),
      type: 'phone',
      date: '2030-03-11',
      time: '10:00',
      createdBy: RITA,
      sendEmail: false,
      reminder: { option: 'email', days: 2 },
    });
    expect(res.status).toBe(201);
    w.sendgrid.reset();
    w.sendgrid.failNext(1, { status: 500 });

    await w.setClock('2030-03-09T08:00:00Z');
    await waitFor(() => w.sendgrid.requests.length >= 1 && w.sendgrid.messages.length > 0, 15_000, 'the first reminders');
    // The refused request's reminders wait for their back-off (2 s on the app's clock).
    await w.setClock('2030-03-09T08:00:05Z');
    await waitFor(() => w.sendgrid.messages.length >= people.length, 15_000, `${people.length} reminders`);
    await new Promise((r) => setTimeout(r, 500));

    const messages = w.sendgrid.messages;
    expect(messages).toHaveLength(people.length);
    expect(w.sendgrid.sent.length).toBeLessThan(people.length);
    expect(w.sendgrid.sent.some((c) => c.body.personalizations.length > 1)).toBe(true);
    const links = new Set<string>();
    for (const [i, person] of people.entries()) {
      const mine = messages.filter((m) => m.to[0].email === person.candidate.email);
      expect(mine).toHaveLength(1);
      const [m] = mine;
      const first = firstNames[i];
      expect(m.text).toContain(i % 3 ? `Hej ${first}!` : `Hi ${first},`);
      expect(m.html).toContain(first.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/'/g, '&#39;'));
      expect(m.text).not.toMatch(/%%/);
      expect(m.html).not.toMatch(/%%/);
      const link = /(http\S+\/r\/\S+)/.exec(m.text!)![1];
      links.add(link);
      const page = await fetch(link);
      expect(page.status).toBe(200);
    }
    expect(links.size).toBe(people.length);

    const detail = (await w.app.api('GET', `/api/interviews/${res.body.id}`)).body;
    expect(detail.reminders.map((r: any) => r.state)).toEqual(people.map(() => 'sent'));
  });

  it('resends a request SendGrid refuses outright (400) email by email, so that nothing is failed with it', async () => {
    await w.setClock('2030-04-01T10:00:00Z');
    const p = await project(w.app, 'Refused batch');
    const people = await Promise.all(['Ann', 'Ben', 'Cia', 'Dan'].map((n, i) => candidate(w.app, p.id, n, `Refused${i}`, { language: 'sv' })));
    const res = await w.app.api('POST', '/api/interviews', { projectId: p.id, applicationIds: people.map((x) => x.id), type: 'phone', date: '2030-04-11', time: '10:00', createdBy: RITA, sendEmail: false, reminder: { option: 'email', days: 2 } });
    expect(res.status).toBe(201);
    w.sendgrid.reset();
    w.sendgrid.failNext(1, { status: 400 });
    await w.setClock('2030-04-09T07:00:00Z');
    await waitFor(() => w.sendgrid.messages.length >= people.length, 15_000, `${people.length} reminders`);
    await new Promise((r) => setTimeout(r, 500));

    const [refused, ...rest] = w.sendgrid.requests;
    expect(refused.status).toBe(400);
    expect(JSON.parse(refused.body.toString('utf8')).personalizations).toHaveLength(people.length);
    expect(rest.map((r) => r.status)).toEqual(people.map(() => 202));
    expect(w.sendgrid.sent.every((c) => c.body.personalizations.length === 1 && !c.body.personalizations[0].substitutions)).toBe(true);
    expect(new Set(w.sendgrid.messages.map((m) => m.to[0].email)).size).toBe(people.length);
    const detail = (await w.app.api('GET', `/api/interviews/${res.body.id}`)).body;
    expect(detail.reminders.map((r: any) => r.state)).toEqual(people.map(() => 'sent'));
  });
});
