import { RunningApp, startApp, dropDatabase } from './support/app';

describe('admin API', () => {
  let app: RunningApp;
  let projectId: number;

  beforeAll(async () => {
    app = await startApp();
    const p = await app.api('POST', '/api/projects', { title: 'Backend Engineer Göteborg', slackChannelId: 'C0HIRING1', defaultLanguage: 'sv' });
    expect(p.status).toBe(201);
    projectId = p.body.id;
  });
  afterAll(async () => {
    await app?.stop();
    if (app) await dropDatabase(app.databaseUrl);
  });

  const count = async () => (await app.api('GET', `/api/projects/${projectId}/applications`)).body.length as number;

  it('creates recruiters, projects and applications; normalises the mobile to E.164; reuses a candidate by email', async () => {
    const r = await app.api('POST', '/api/recruiters', { slackUserId: 'U0RITA001', name: 'Rita Rekryterare', email: 'rita@example.com', smsAccess: true });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ slackUserId: 'U0RITA001', smsAccess: true });

    const a = await app.api('POST', `/api/projects/${projectId}/applications`, { firstName: 'Anna', lastName: 'Lindqvist', email: 'Anna@Example.com', mobile: '070-123 45 67' });
    expect(a.status).toBe(201);
    expect(a.body).toMatchObject({ status: 'active', candidate: { mobile: '+46701234567', language: 'sv', email: 'anna@example.com' } });

    const other = await app.api('POST', '/api/projects', { title: 'Designer', slackChannelId: 'C0HIRING2', defaultLanguage: 'en', timezone: 'Europe/London' });
    const again = await app.api('POST', `/api/projects/${other.body.id}/applications`, { firstName: 'Anna', lastName: 'Lindqvist', email: 'anna@example.com' });
    expect(again.body.candidateId).toBe(a.body.candidateId);

    const list = await app.api('GET', `/api/projects/${projectId}/applications`);
    expect(list.body).toEqual([expect.objectContaining({ id: a.body.id, candidateId: a.body.candidateId, status: 'active' })]);
  });

  it.each([
    ['missing email', { firstName: 'A', lastName: 'B' }, 'email', /required/],
    ['malformed email', { firstName: 'A', lastName: 'B', email: 'not-an-email' }, 'email', /valid email/],
    ['unparseable phone', { firstName: 'A', lastName: 'B', email: 'ab@example.com', mobile: '12ab' }, 'mobile', /not a valid phone number/],
    ['a landline as mobile', { firstName: 'A', lastName: 'B', email: 'ab@example.com', mobile: '08-123 456 78' }, 'mobile', /not a mobile number/],
    ['unknown language', { firstName: 'A', lastName: 'B', email: 'ab@example.com', language: 'xx' }, 'language', /one of/],
    ['an unknown field', { firstName: 'A', lastName: 'B', email: 'ab@example.com', age: 3 }, 'age', /not a known field/],
  ])('refuses %s with 400 naming the field and stores nothing', async (_what, body, field, message) => {
    const before = await count();
    const res = await app.api('POST', `/api/projects/${projectId}/applications`, body);
    expect(res.status).toBe(400);
    expect(res.body.fields[field]).toMatch(message);
    expect(await count()).toBe(before);
  });

  it('names every bad field at once', async () => {
    const res = await app.api('POST', '/api/projects', { title: '', slackChannelId: 'nope', defaultLanguage: 'sv', timezone: 'Mars/Base' });
    expect(res.status).toBe(400);
    expect(Object.keys(res.body.fields).sort()).toEqual(['slackChannelId', 'timezone', 'title']);
  });

  it.each([
    ['local', /IANA time zone.*"local"/],
    ['system', /IANA time zone.*"system"/],
    ['UTC+5', /must be an IANA time zone such as Europe\/Stockholm/],
    [5, /must be an IANA time zone such as Europe\/Stockholm/],
  ])('refuses the project time zone %j with 400 naming timezone and stores nothing', async (timezone, message) => {
    const before = (await app.api('GET', '/api/projects')).body.length;
    const res = await app.api('POST', '/api/projects', { title: `Zone ${String(timezone)}`, slackChannelId: 'C0HIRING1', defaultLanguage: 'sv', timezone });
    expect(res.status).toBe(400);
    expect(res.body.fields).toEqual({ timezone: expect.stringMatching(message) });
    expect((await app.api('GET', '/api/projects')).body).toHaveLength(before);
  });

  it('names an invitation\'s bad fields as the request names them, in words a person can act on', async () => {
    await app.api('POST', '/api/recruiters', { slackUserId: 'U0NOSMS01', name: 'Nils Utan Sms', email: 'nils@example.com', smsAccess: false });
    const a = await app.api('POST', `/api/projects/${projectId}/applications`, { firstName: 'Fält', lastName: 'Namn', email: 'falt@example.com' });
    const shape = await app.api('POST', '/api/interviews', { projectId, applicationIds: [a.body.id], type: 'phone', date: '2031-05-05', durationMinutes: 2, createdBy: 'U0NOSMS01' });
    expect(shape.status).toBe(400);
    expect(shape.body.fields).toEqual({ time: 'is required, as HH:mm', durationMinutes: 'must be at least 5 minutes' });
    const rules = await app.api('POST', '/api/interviews', {
      projectId,
      applicationIds: [a.body.id],
      type: 'phone',
      date: '2031-05-05',
      time: '10:00',
      createdBy: 'U0NOSMS01',
      templates: { sv: { subject: 'Hej {kandidat}', content: 'Välkommen' } },
      reminder: { option: 'sms', days: 4 },
    });
    expect(rules.status).toBe(400);
    expect(Object.keys(rules.body.fields).sort()).toEqual(['reminder.days', 'reminder.option', 'templates.sv.subject']);
    expect(rules.body.fields['templates.sv.subject']).toMatch(/Unknown merge tag \{kandidat\}/);
    expect(rules.body.fields['reminder.option']).toMatch(/SMS access/);
  });

  it('answers 404 for an unknown project and stores nothing', async () => {
    const res = await app.api('POST', '/api/projects/999999/applications', { firstName: 'A', lastName: 'B', email: 'ghost@example.com' });
    expect(res.status).toBe(404);
    expect(res.body.message).toMatch(/Project 999999 not found/);
    const again = await app.api('POST', `/api/projects/${projectId}/applications`, { firstName: 'A', lastName: 'B', email: 'ghost@example.com' });
    expect(again.body.candidate.firstName).toBe('A');
  });

  it('refuses malformed JSON', async () => {
    const before = await count();
    const res = await app.api('POST', `/api/projects/${projectId}/applications`, '{"firstName": "A",');
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('malformed_json');
    expect(await count()).toBe(before);
  });

  it('refuses an oversized body', async () => {
    const before = await count();
    const res = await app.api('POST', `/api/projects/${projectId}/applications`, { firstName: 'A'.repeat(200_000), lastName: 'B', email: 'big@example.com' });
    expect(res.status).toBe(413);
    expect(res.body.message).toMatch(/larger than/);
    expect(await count()).toBe(before);
  });

  it('refuses a missing or wrong token', async () => {
    const none = await fetch(`${app.url}/api/projects/${projectId}/applications`);
    expect(none.status).toBe(401);
    expect((await none.json()).message).toMatch(/Missing bearer token/);
    const wrong = await app.api('POST', '/api/recruiters', { slackUserId: 'U0EVE0001', name: 'Eve', email: 'eve@example.com' }, { authorization: 'Bearer wrong-token-wrong-token' });
    expect(wrong.status).toBe(401);
    expect(wrong.body.message).toMatch(/Wrong admin API token/);
  });

  it('is disabled without ADMIN_API_TOKEN', async () => {
    const bare = await startApp({ env: { ADMIN_API_TOKEN: undefined } });
    try {
      const res = await bare.api('GET', '/api/projects');
      expect(res.status).toBe(403);
      expect(res.body.message).toMatch(/disabled/);
    } finally {
      await bare.stop();
      await dropDatabase(bare.databaseUrl);
    }
  });

  it('reads an interview that does not exist as 404', async () => {
    const res = await app.api('GET', '/api/interviews/424242');
    expect(res.status).toBe(404);
  });
});
