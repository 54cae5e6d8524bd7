import { Client } from '@sendgrid/client';
import { MailService } from '@sendgrid/mail';
import { SendgridStandin, validateMailSend } from './sendgrid.standin';

const KEY = 'SG.standin.key';

/** Exactly what production code does with SENDGRID_API_URL (see README). */
function mailer(baseUrl: string, apiKey = KEY): MailService {
  const client = new Client();
  client.setApiKey(apiKey); // NB: setApiKey() resets baseUrl to https://api.sendgrid.com/ — so it must come first
  client.setDefaultRequest('baseUrl', baseUrl);
  const mail = new MailService();
  mail.setClient(client);
  return mail;
}

const base = {
  to: 'candidate@example.com',
  from: { email: 'noreply@kallelse.example', name: 'Kallelse' },
  subject: 'Your interview',
  text: 'Hello',
  html: '<p>Hello</p>',
};

describe('SendgridStandin via @sendgrid/mail', () => {
  let sg: SendgridStandin;
  beforeAll(async () => {
    sg = await SendgridStandin.start({ apiKey: KEY });
  });
  afterAll(() => sg.close());
  beforeEach(() => sg.reset());

  it('setApiKey() after setDefaultRequest(baseUrl) silently points back at api.sendgrid.com', () => {
    const c = new Client();
    c.setDefaultRequest('baseUrl', sg.url);
    c.setApiKey(KEY);
    expect((c as unknown as { defaultRequest: { baseUrl: string } }).defaultRequest.baseUrl).toBe('https://api.sendgrid.com/');
  });

  it('accepts a valid send: 202 + X-Message-Id, records the body', async () => {
    const [res] = await mailer(sg.url).send({ ...base, customArgs: { invitation_id: '42' } });
    expect(res.statusCode).toBe(202);
    const id = res.headers['x-message-id'];
    expect(id).toEqual(sg.sent[0].messageId);
    expect(sg.calls[0].body).toMatchObject({
      personalizations: [{ to: [{ email: 'candidate@example.com' }] }],
      content: [{ type: 'text/plain', value: 'Hello' }, { type: 'text/html', value: '<p>Hello</p>' }],
      custom_args: { invitation_id: '42' },
    });
    expect(sg.recipients).toEqual(['candidate@example.com']);
    expect(sg.requests[0].headers.authorization).toBe(`Bearer ${KEY}`);
  });

  it('rejects a wrong key with 401', async () => {
    const err = await mailer(sg.url, 'SG.wrong').send(base).catch((e) => e);
    expect(err.code).toBe(401);
    expect(err.response.body.errors[0].message).toBe('The provided authorization grant is invalid, expired, or revoked');
  });

  it('429 with Retry-After', async () => {
    sg.failNext(1, { status: 429, retryAfter: 3 });
    const err = await mailer(sg.url).send(base).catch((e) => e);
    expect(err.code).toBe(429);
    expect(err.response.headers['retry-after']).toBe('3');
    expect(sg.calls).toHaveLength(0);
    expect(sg.requests).toHaveLength(1);
  });

  it('validates like SendGrid: 400 with {message, field, help}', async () => {
    const err = await mailer(sg.url)
      .send({ ...base, from: 'not-an-email', subject: undefined as unknown as string, attachments: [{ content: 'not base64!', filename: 'x.ics' }] })
      .catch((e) => e);
    expect(err.code).toBe(400);
    const fields = err.response.body.errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(['from.email', 'subject', 'attachments.0.content']);
    expect(err.response.body.errors[0]).toEqual({ message: 'The from email does not contain a valid address.', field: 'from.email', help: expect.any(String) });
    expect(sg.calls[0].status).toBe(400);
  });

  it('a hang + setTimeout makes the SDK give up', async () => {
    sg.failNext(1, { hang: 300 });
    const mail = mailer(sg.url);
    mail.setTimeout(100);
    const err = await mail.send(base).catch((e) => e);
    expect(String(err.code ?? err.message)).toMatch(/ECONNABORTED|timeout/i);
    await sg.waitFor((cs) => cs.length === 1, 1000); // SendGrid still accepted it
  });
});

describe('validateMailSend', () => {
  const ok = {
    personalizations: [{ to: [{ email: 'a@example.com' }] }],
    from: { email: 'from@example.com' },
    subject: 's',
    content: [{ type: 'text/plain', value: 'x' }],
  };
  const fields = (b: unknown) => validateMailSend(b).map((e) => e.field);

  it('accepts a minimal valid body', () => expect(validateMailSend(ok)).toEqual([]));

  it('limits recipients to 1000 in total', () => {
    const to = (n: number, p = 0) => Array.from({ length: n }, (_, i) => ({ email: `u${p}-${i}@example.com` }));
    expect(fields({ ...ok, personalizations: [{ to: to(1000) }] })).toEqual([]);
    expect(fields({ ...ok, personalizations: [{ to: to(600, 1) }, { to: to(401, 2) }] })).toEqual(['personalizations']);
    expect(fields({ ...ok, personalizations: [] })).toEqual(['personalizations']);
    expect(fields({ ...ok, personalizations: [{ to: [{ email: 'a@example.com' }], cc: [{ email: 'A@example.com' }] }] })).toEqual(['personalizations.0.cc']);
  });

  it('subject may come from every personalization or a template', () => {
    const { subject: _s, ...noSubject } = ok;
    expect(fields(noSubject)).toEqual(['subject']);
    expect(fields({ ...noSubject, personalizations: [{ to: [{ email: 'a@example.com' }], subject: 'p' }] })).toEqual([]);
    expect(fields({ ...noSubject, content: undefined, template_id: 'd-123' })).toEqual([]);
  });

  it('content: non-empty, text/plain before text/html', () => {
    expect(fields({ ...ok, content: [] })).toEqual(['content']);
    expect(fields({ ...ok, content: [{ type: 'text/plain', value: '' }] })).toEqual(['content.0.value']);
    expect(fields({ ...ok, content: [{ type: 'text/html', value: 'h' }, { type: 'text/plain', value: 't' }] })).toEqual(['content']);
    expect(fields({ ...ok, content: [{ type: 'text/html', value: 'h' }] })).toEqual([]);
  });

  it('attachments and custom_args', () => {
    const att = { content: Buffer.from('BEGIN:VCALENDAR').toString('base64'), filename: 'invite.ics', type: 'text/calendar' };
    expect(fields({ ...ok, attachments: [att] })).toEqual([]);
    expect(fields({ ...ok, attachments: [{ ...att, filename: undefined }] })).toEqual(['attachments.0.filename']);
    expect(fields({ ...ok, attachments: [{ ...att, type: 'text/calendar; method=REQUEST' }] })).toEqual(['attachments.0.type']);
    expect(fields({ ...ok, custom_args: { id: 42 } })).toEqual(['custom_args.id']);
  });
});
