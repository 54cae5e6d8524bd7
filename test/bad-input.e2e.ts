import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { engine, ROOT, runNode, waitFor } from './support/app';
import { candidate, project, recruiter } from './support/fixtures';
import { signSlackRequest } from './support/signing';
import { SLACK_SECRET, World } from './support/world';

jest.setTimeout(60_000);
const RITA = 'U0RITA001';
const INJECT_SQL = "'; DROP TABLE candidates; --";
const INJECT_HTML = '<img src=x onerror=alert(1)>';
const INJECT_SCRIPT = '<script>alert("x")</script>';

/**
 * Bad and odd input at every door (SPEC §4): malformed and oversized Slack payloads, wrong content types and
 * charsets, Unicode and right-to-left names, SQL/HTML injection strings, bad phone numbers, a huge CSV with one bad
 * row. Every case ends in a 4xx with a clear error or a correct result; nothing is half-written; the app stays healthy.
 */
describe('bad input', () => {
  let w: World;
  let projectId: number;
  let dir: string;
  beforeAll(async () => {
    w = await World.start();
    await recruiter(w.app, RITA, true);
    projectId = (await project(w.app, 'Bad input project')).id;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kallelse-bad-input-'));
  });
  afterAll(async () => {
    await w?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const healthy = async () => expect((await fetch(`${w.app.url}/health`)).status).toBe(200);
  const raw = async (p: string, body: string | Buffer, headers: Record<string, string>, method = 'POST') => {
    const res = await fetch(w.app.url + p, { method, headers, body: typeof body === 'string' ? body : new Uint8Array(body) });
    const text = await res.text();
    let json: any = null;
    try {
      json = JSON.parse(text);
    } catch {
      /* not JSON */
    }
    return { status: res.status, text, json, type: res.headers.get('content-type') ?? '' };
  };
  const slackRaw = (body: string | Buffer, contentType: string) =>
    raw('/slack/events', body, { 'content-type': contentType, ...signSlackRequest(SLACK_SECRET, body.toString()) });
  const apiRaw = (p: string, body: string | Buffer, contentType: string) => raw(p, body, { authorization: `Bearer ${w.app.env.ADMIN_API_TOKEN}`, 'content-type': contentType });
  const applications = async () => (await w.app.api('GET', `/api/projects/${projectId}/applications`)).body as { id: number; candidate: Record<string, string | null> }[];

  describe('Slack (/slack/events)', () => {
    it('a signed interaction whose payload= is not JSON is refused with a 4xx and nothing happens', async () => {
      const calls = w.slack.calls.length;
      const res = await slackRaw('payload=%7Bnot-json', 'application/x-www-form-urlencoded');
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      await new Promise((r) => setTimeout(r, 200));
      expect(w.slack.calls.length).toBe(calls);
      await healthy();
    });

    it('a signed 1 MB slash command is handled normally; a 50 MB body is refused with 413 without reading it all', async () => {
      const big = await slackRaw(new URLSearchParams({ command: '/interviews', user_id: 'U0NOBODY1', text: 'x'.repeat(1024 * 1024), team_id: 'T0TEST', trigger_id: 't.big' }).toString(), 'application/x-www-form-urlencoded');
      expect(big.status).toBe(200);
      expect(big.json.text).toMatch(/for the recruiters of this workspace/);
      const t = Date.now();
      const huge = await raw('/slack/events', 'a='.padEnd(50 * 1024 * 1024, 'x'), { 'content-type': 'application/x-www-form-urlencoded' });
      expect(huge.status).toBe(413);
      expect(Date.now() - t).toBeLessThan(3000);
      await healthy();
    });

    it('signed payloads with missing fields get a 4xx (Bolt: no listener → 404) and change nothing', async () => {
      const calls = w.slack.calls.length;
      const results = await Promise.all([
        slackRaw(new URLSearchParams({ command: '/invite', text: '', trigger_id: 't.1', team_id: 'T0TEST' }).toString(), 'application/x-www-form-urlencoded'),
        slackRaw(new URLSearchParams({ user_id: RITA, text: 'x', team_id: 'T0TEST' }).toString(), 'application/x-www-form-urlencoded'),
        slackRaw('payload=' + encodeURIComponent('{}'), 'application/x-www-form-urlencoded'),
        slackRaw('payload=' + encodeURIComponent(JSON.stringify({ type: 'block_actions', user: { id: RITA }, actions: [] })), 'application/x-www-form-urlencoded'),
      ]);
      for (const r of results) {
        expect(r.status).toBeGreaterThanOrEqual(200);
        expect(r.status).toBeLessThan(500);
      }
      expect(w.slack.calls.length).toBe(calls);
      await healthy();
    });

    // KNOWN BUG (reported to the lead): SlackBoltService passes `body.user.id` (undefined) to a TypeORM where → 500.
    // Flip to `it` once src/slack/slack-bolt.service.ts guards a missing user.
    it('a signed view_submission without a user is a 4xx or a modal error, not a 500', async () => {
      const res = await slackRaw('payload=' + encodeURIComponent(JSON.stringify({ type: 'view_submission', view: { id: 'V1', callback_id: 'invite_step1', private_metadata: '{}', state: { values: {} } } })), 'application/x-www-form-urlencoded');
      expect(res.status).toBeLessThan(500);
    });

    it('JSON: url_verification is answered; malformed JSON is a 4xx; text/plain is a 4xx; an unsigned request, or one signed more than 5 minutes off, is 401', async () => {
      const challenge = await slackRaw(JSON.stringify({ type: 'url_verification', token: 'legacy', challenge: 'ch-123' }), 'application/json');
      expect(challenge.status).toBe(200);
      expect(challenge.text).toContain('ch-123');
      const bad = await slackRaw('{"type": "event_callback", ', 'application/json');
      expect(bad.status).toBeGreaterThanOrEqual(400);
      expect(bad.status).toBeLessThan(500);
      const text = await slackRaw('hello slack', 'text/plain');
      expect(text.status).toBeGreaterThanOrEqual(400);
      expect(text.status).toBeLessThan(500);
      const unsigned = await raw('/slack/events', 'command=/invite&user_id=U0RITA001', { 'content-type': 'application/x-www-form-urlencoded' });
      expect(unsigned.status).toBe(401);
      const form = 'command=/invite&user_id=U0RITA001';
      for (const skewSeconds of [-400, 400]) {
        const skewed = await raw('/slack/events', form, { 'content-type': 'application/x-www-form-urlencoded', ...signSlackRequest(SLACK_SECRET, form, Math.floor(Date.now() / 1000) + skewSeconds) });
        expect(skewed.status).toBe(401);
      }
      await healthy();
    });
  });

  describe('admin API: content types and charsets', () => {
    it('refuses malformed JSON, a non-object body and an oversized body with clear JSON errors, storing nothing', async () => {
      const before = (await w.app.api('GET', '/api/projects')).body.length;
      const malformed = await apiRaw('/api/projects', '{"title": "x", ', 'application/json');
      expect(malformed.status).toBe(400);
      expect(malformed.json).toMatchObject({ error: 'malformed_json' });
      const arr = await apiRaw('/api/projects', '[1,2,3]', 'application/json');
      expect(arr.status).toBe(400);
      expect(arr.json.fields.body).toMatch(/JSON object/);
      const big = await apiRaw('/api/projects', JSON.stringify({ title: 'x'.repeat(200_000), slackChannelId: 'C0HIRING1', defaultLanguage: 'sv' }), 'application/json');
      expect(big.status).toBe(413);
      expect(big.json).toMatchObject({ error: 'payload_too_large' });
      const missing = await apiRaw('/api/projects', JSON.stringify({ slackChannelId: 'nope' }), 'application/json');
      expect(missing.status).toBe(400);
      expect(Object.keys(missing.json.fields).sort()).toEqual(['defaultLanguage', 'slackChannelId', 'title']);
      expect((await w.app.api('GET', '/api/projects')).body.length).toBe(before);
      await healthy();
    });

    it('text/plain to /api: a JSON body is understood, anything else is a 400 malformed_json', async () => {
      const ok = await apiRaw('/api/recruiters', JSON.stringify({ slackUserId: 'U0PLAIN01', name: 'Plain Text', email: 'plain@example.com' }), 'text/plain');
      expect(ok.status).toBe(201);
      const notJson = await apiRaw('/api/recruiters', 'slackUserId=U0PLAIN02&name=x', 'text/plain');
      expect(notJson.status).toBe(400);
      expect(notJson.json).toMatchObject({ error: 'malformed_json' });
      const form = await apiRaw('/api/recruiters', 'slackUserId=U0PLAIN02&name=x', 'application/x-www-form-urlencoded');
      expect(form.status).toBe(400);
      expect(form.json.error).toBeDefined();
    });

    it('application/json; charset=latin1 is a 415 saying the charset is unsupported', async () => {
      const body = Buffer.from(JSON.stringify({ firstName: 'Zoë', lastName: 'Latin', email: 'zoe.latin@example.com' }), 'latin1');
      const res = await apiRaw(`/api/projects/${projectId}/applications`, body, 'application/json; charset=latin1');
      expect(res.status).toBe(415);
      expect(res.json).toMatchObject({ error: 'unsupported_encoding' });
      expect(res.json.message).toMatch(/latin1|charset/i);
      expect((await applications()).map((a) => a.candidate.email)).not.toContain('zoe.latin@example.com');
    });

    // KNOWN BUG (reported to the lead): express.json() decodes invalid UTF-8 to U+FFFD and the name is stored as "Bad���Bytes".
    // Flip to `it` once src/main.ts verifies the body is UTF-8 (express.json({ verify })).
    it('invalid UTF-8 bytes in a JSON body are refused with a 400, not stored as mojibake', async () => {
      const head = Buffer.from('{"firstName":"Bad');
      const tail = Buffer.from('Bytes","lastName":"Utf","email":"bad.utf8@example.com"}');
      const res = await apiRaw(`/api/projects/${projectId}/applications`, Buffer.concat([head, Buffer.from([0xff, 0xfe, 0xc3]), tail]), 'application/json');
      const stored = (await applications()).find((a) => a.candidate.email === 'bad.utf8@example.com');
      expect(res.status).toBe(400);
      expect(res.json.error).toBeDefined();
      expect(stored).toBeUndefined();
    });
  });

  it('refuses an interview at a time the clocks skip (02:30 on the night summer time starts), naming the time, and stores nothing', async () => {
    const app = await candidate(w.app, projectId, 'Dst', 'Skipped');
    const before = (await w.app.api('GET', `/api/interviews?projectId=${projectId}`)).body.length;
    const res = await w.app.api('POST', '/api/interviews', { projectId, applicationIds: [app.id], type: 'phone', date: '2031-03-30', time: '02:30', createdBy: RITA });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toMatch(/02:30 does not exist on 2031-03-30 in Europe\/Stockholm/);
    expect((await w.app.api('GET', `/api/interviews?projectId=${projectId}`)).body.length).toBe(before);
    const fine = await w.app.api('POST', '/api/interviews', { projectId, applicationIds: [app.id], type: 'phone', date: '2031-03-30', time: '03:30', createdBy: RITA });
    expect(fine.status).toBe(201);
    expect(fine.body.startsAt).toBe('2031-03-30T01:30:00.000Z');
    expect(fine.body.invitations[0].history[0]).toMatchObject({ action: 'invited', actor: RITA, channel: 'api' });
  });

  describe('names and strings that break naive code', () => {
    const people = [
      { firstName: 'محمد', lastName: 'العلي', language: 'en' },
      { firstName: '👩‍💻 Zoë', lastName: 'Ñúñez-Åström', language: 'sv' },
      { firstName: INJECT_SQL, lastName: INJECT_HTML, language: 'en' },
      { firstName: INJECT_SCRIPT, lastName: '<!channel> & "quotes"', language: 'en' },
    ];

    const title = `Titel ${INJECT_HTML} & <!here> co`;
    let cardJson = '';
    /** mrkdwn strings of a chat.postMessage/update: the fallback `text` and every mrkdwn text object of the blocks. */
    const mrkdwnOf = (msg: any): { where: string; text: string }[] => {
      const out = [{ where: 'text', text: String(msg.text ?? '') }];
      const walk = (x: any, where: string) => {
        if (Array.isArray(x)) x.forEach((y, i) => walk(y, `${where}[${i}]`));
        else if (x && typeof x === 'object') {
          if (x.type === 'mrkdwn' && typeof x.text === 'string') out.push({ where, text: x.text });
          for (const [k, v] of Object.entries(x)) walk(v, `${where}.${k}`);
        }
      };
      walk(msg.blocks, 'blocks');
      return out;
    };
    /** What is left once Slack's own user mentions <@U…> are removed: no '<' may remain (no <!channel>, no <url|label>). */
    const controlSequences = (text: string) => text.replace(/<@[UW][A-Z0-9]+>/g, '').match(/<[^>]*>?/g) ?? [];

    it('stores them verbatim, sends emails with them escaped in HTML, renders the confirm page safely', async () => {
      const p = await project(w.app, title);
      const created = [];
      for (const [i, person] of people.entries()) {
        const r = await w.app.api('POST', `/api/projects/${p.id}/applications`, { ...person, email: `odd${i}@example.com` });
        expect(r.status).toBe(201);
        created.push(r.body);
      }
      const list = (await w.app.api('GET', `/api/projects/${p.id}/applications`)).body as any[];
      for (const person of people) {
        const found = list.find((a) => a.candidate.lastName === person.lastName);
        expect(found?.candidate.firstName).toBe(person.firstName);
      }

      const location = `${INJECT_HTML} Kungsgatan 1 ${INJECT_SQL}`;
      const since = w.sendgrid.sent.length;
      const res = await w.app.api('POST', '/api/interviews', {
        projectId: p.id,
        applicationIds: created.map((c) => c.id),
        type: 'in_person',
        date: '2030-10-01',
        time: '10:00',
        createdBy: RITA,
        location,
      });
      expect(res.status).toBe(201);
      expect(res.body.location ?? location).toBe(location);

      const mails = await waitFor(() => {
        const m = w.sendgrid.sent.slice(since);
        return m.length >= people.length ? m : null;
      }, 20_000, 'the invitation emails');
      for (const [i, person] of people.entries()) {
        const mail = mails.find((m) => m.body.personalizations[0].to[0].email === `odd${i}@example.com`)!;
        expect(mail).toBeDefined();
        const html = mail.body.content.find((c: any) => c.type === 'text/html').value as string;
        const text = mail.body.content.find((c: any) => c.type === 'text/plain').value as string;
        // Plain text keeps the name as it is; HTML shows it escaped and never carries a live tag from input.
        expect(text).toContain(person.firstName);
        expect(html).not.toContain('<img src=x');
        expect(html).not.toContain('<script>');
        if (person.firstName === INJECT_SCRIPT) expect(html).toContain('&lt;script&gt;');
        if (i < 2) expect(html).toContain(person.firstName);
        // The subject is a header: no HTML escaping there, and no line breaks.
        expect(mail.body.subject).not.toMatch(/[\r\n]/);
        expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;'); // the location/title, escaped

        const link = /https?:\/\/[^\s"<>]+\/r\/[A-Za-z0-9_-]+/.exec(text)![0];
        const page = await fetch(`${w.app.url}${new URL(link).pathname}`);
        expect(page.status).toBe(200);
        expect(page.headers.get('content-type')).toMatch(/text\/html; charset=utf-8/);
        const body = await page.text();
        expect(body).not.toContain('<img src=x');
        expect(body).not.toContain('<script>');
        expect(body).toContain('&lt;img src=x onerror=alert(1)&gt;');
        if (i < 2) expect(body).toContain(person.firstName);
        if (person.firstName === INJECT_SQL) expect(body).toContain('&#39;; DROP TABLE candidates; --');
      }

      const card = await waitFor(() => w.channelMessages('C0HIRING1').find((m) => JSON.stringify(m).includes('Kungsgatan 1')), 20_000, 'the card');
      cardJson = JSON.stringify(card);

      // Nothing was dropped, the tables are all there.
      const again = (await w.app.api('GET', `/api/projects/${p.id}/applications`)).body as any[];
      expect(again).toHaveLength(people.length);
      expect(again.every((a) => a.status === 'invited')).toBe(true);
      await healthy();
    });

    it('the Slack card shows names and location escaped in its mrkdwn blocks (no <!channel>, no live tags)', () => {
      const card = JSON.parse(cardJson);
      const blocks = mrkdwnOf(card).filter((m) => m.where !== 'text');
      expect(blocks.length).toBeGreaterThan(0);
      for (const m of blocks) expect({ where: m.where, found: controlSequences(m.text) }).toEqual({ where: m.where, found: [] });
      const all = blocks.map((m) => m.text).join('\n');
      expect(all).toContain('&lt;!channel&gt;');
      expect(all).toContain('محمد');
      expect(all).toContain('👩‍💻 Zoë');
    });

    // KNOWN BUG (reported to the lead): buildCard() puts the project title unescaped into the message's fallback `text`
    // (src/slack/views/card.view.ts), so a title with <!here> / <!channel> / <https://x|y> is live mrkdwn in notifications.
    // Flip to `it` once the title is passed through escapeMrkdwn there.
    it('the Slack card’s fallback text escapes the project title too', () => {
      const card = JSON.parse(cardJson);
      expect(controlSequences(String(card.text))).toEqual([]);
    });

    it('refuses invalid phone numbers, naming the field, and stores nothing', async () => {
      for (const mobile of ['abc', '+46 12', '0701234567890123', '+999 123 456 789', '070-12 34 5x']) {
        const email = `phone.${Math.random().toString(36).slice(2, 8)}@example.com`;
        const r = await w.app.api('POST', `/api/projects/${projectId}/applications`, { firstName: 'Tele', lastName: 'Fon', email, mobile });
        expect({ mobile, status: r.status }).toEqual({ mobile, status: 400 });
        expect(Object.keys(r.body.fields)).toEqual(['mobile']);
        expect((await applications()).map((a) => a.candidate.email)).not.toContain(email);
      }
      const ok = await w.app.api('POST', `/api/projects/${projectId}/applications`, { firstName: 'Tele', lastName: 'Fon', email: 'tele.ok@example.com', mobile: '070-123 45 67' });
      expect(ok.status).toBe(201);
      expect(ok.body.candidate.mobile).toBe('+46701234567');
    });

    it('refuses empty, too long and wrong-typed fields with one message per field', async () => {
      const r = await w.app.api('POST', `/api/projects/${projectId}/applications`, { firstName: '   ', lastName: 'x'.repeat(101), email: 'not-an-email', language: 'xx', extra: 1 });
      expect(r.status).toBe(400);
      expect(Object.keys(r.body.fields).sort()).toEqual(['email', 'extra', 'firstName', 'language', 'lastName']);
      const t = await w.app.api('POST', `/api/projects/${projectId}/applications`, { firstName: 42, lastName: null, email: ['a@example.com'] });
      expect(t.status).toBe(400);
      expect(Object.keys(t.body.fields).sort()).toEqual(['email', 'firstName', 'lastName']);
    });
  });

  it('a 20,000-row CSV with one bad row imports nothing and names the bad line', async () => {
    const lines = ['first_name,last_name,email,phone'];
    for (let i = 0; i < 20_000; i++) lines.push(`Förnamn${i},Efternamn ${i},bulk${i}@example.com,${i === 13_370 ? '12ab' : `+4670${String(1_000_000 + i).padStart(7, '0')}`}`);
    const file = path.join(dir, 'huge.csv');
    fs.writeFileSync(file, lines.join('\n') + '\n');
    const t = Date.now();
    const res = await runNode([path.join(ROOT, 'dist/cli/import.js'), file, '--project', String(projectId)], { DATABASE_URL: w.app.databaseUrl, LOG_LEVEL: 'warn' });
    const ms = Date.now() - t;
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/line 13372: mobile: "12ab" is not a valid phone number/);
    expect(res.stderr).toMatch(/Nothing was imported: 1 row of 20000 has problems|Nothing was imported: 1 rows? of 20000/);
    expect(res.stdout).not.toMatch(/Imported/);
    expect((await applications()).filter((a) => a.candidate.email?.startsWith('bulk'))).toHaveLength(0);
    expect(ms).toBeLessThan(20_000);
    await healthy();
    process.stdout.write(`[bad-input] ${engine()}: 20,000-row CSV checked and refused in ${ms} ms\n`);
  });
});
