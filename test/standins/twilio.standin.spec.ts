import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import twilio from 'twilio';
import { TwilioStandin, smsSegments } from './twilio.standin';
import { TwilioBaseUrlRequestClient } from '../../src/notifications/transports/twilio-base-url.client';

const ACCOUNT = 'AC' + 'a'.repeat(32);
const TOKEN = 'standin-auth-token';
const FROM = '+46700000001';

describe('TwilioStandin via the official twilio client', () => {
  let tw: TwilioStandin;
  const client = (token = TOKEN, timeout?: number) =>
    twilio(ACCOUNT, token, { httpClient: new TwilioBaseUrlRequestClient(tw.url, timeout ? { timeout } : undefined) });

  beforeAll(async () => {
    tw = await TwilioStandin.start({ accountSid: ACCOUNT, authToken: TOKEN, apiKeySid: 'SK' + 'b'.repeat(32), apiKeySecret: 'secret' });
  });
  afterAll(() => tw.close());
  beforeEach(() => tw.reset());

  it('creates a message: 201 resource, recorded form params', async () => {
    const msg = await client().messages.create({ to: '+46701234567', from: FROM, body: 'Hej! Din intervju är på måndag.', statusCallback: 'http://127.0.0.1:1/cb', validityPeriod: 3600 });
    expect(msg.sid).toMatch(/^SM[0-9a-f]{32}$/);
    expect(msg).toMatchObject({ status: 'queued', to: '+46701234567', from: FROM, numSegments: '1', accountSid: ACCOUNT });
    expect(tw.sent[0].params).toEqual({ To: '+46701234567', From: FROM, Body: 'Hej! Din intervju är på måndag.', StatusCallback: 'http://127.0.0.1:1/cb', ValidityPeriod: '3600' });
    const fetched = await client().messages(msg.sid).fetch();
    expect(fetched.sid).toBe(msg.sid);
    const h = tw.requests[0].headers;
    expect(h['content-type']).toBe('application/x-www-form-urlencoded');
    expect(h.authorization).toBe('Basic ' + Buffer.from(`${ACCOUNT}:${TOKEN}`).toString('base64'));
  });

  it('accepts API-key auth and MessagingServiceSid-only sends (status accepted, from null)', async () => {
    const c = twilio('SK' + 'b'.repeat(32), 'secret', { accountSid: ACCOUNT, httpClient: new TwilioBaseUrlRequestClient(tw.url) });
    const msg = await c.messages.create({ to: '+46701234567', messagingServiceSid: 'MG' + 'c'.repeat(32), body: 'x' });
    expect(msg).toMatchObject({ status: 'accepted', from: null });
  });

  it('rejects bad credentials with 401 / 20003', async () => {
    const err = await client('wrong').messages.create({ to: '+46701234567', from: FROM, body: 'x' }).catch((e) => e);
    expect(err).toBeInstanceOf(twilio.RestException);
    expect(err).toMatchObject({ status: 401, code: 20003, message: 'Authenticate' });
  });

  it('429 fault', async () => {
    tw.failNext(1, { status: 429, retryAfter: 2 });
    const err = await client().messages.create({ to: '+46701234567', from: FROM, body: 'x' }).catch((e) => e);
    expect(err).toMatchObject({ status: 429, code: 20429 });
    expect(tw.requests[0].status).toBe(429);
  });

  it('validates: E.164, body length, validity period, opt-out, missing From', async () => {
    const send = (p: Record<string, unknown>) =>
      client().messages.create({ to: '+46701234567', from: FROM, body: 'x', ...p } as never).catch((e) => e);
    expect(await send({ to: '0701234567' })).toMatchObject({ status: 400, code: 21211, message: "The 'To' number 0701234567 is not a valid phone number." });
    expect(await send({ body: 'x'.repeat(1601) })).toMatchObject({ status: 400, code: 21617 });
    expect((await send({ body: 'x'.repeat(1600) })).sid).toBeDefined();
    expect(await send({ validityPeriod: 36001 })).toMatchObject({ code: 21624 });
    expect(await send({ from: undefined })).toMatchObject({ code: 21603 });
    tw.optOut('+46701234567');
    expect(await send({})).toMatchObject({ status: 400, code: 21610, message: 'Attempt to send to unsubscribed recipient' });
    expect(tw.calls.map((c) => c.code ?? c.status)).toEqual([21211, 21617, 201, 21624, 21603, 21610]);
  });

  it('a hang makes the client time out; the message is still created', async () => {
    tw.failNext(1, { hang: 300 });
    const err = await client(TOKEN, 100).messages.create({ to: '+46701234567', from: FROM, body: 'x' }).catch((e) => e);
    expect(String(err.code ?? err.message)).toMatch(/ECONNABORTED|timeout/i);
    await tw.waitFor((cs) => cs.some((c) => c.status === 201), 1000);
  });

  it('sends signed status callbacks that twilio.validateRequest accepts', async () => {
    const got: Array<{ url: string; sig: string; params: Record<string, string> }> = [];
    const app = http.createServer((req, res) => {
      let b = '';
      req.on('data', (c) => (b += c));
      req.on('end', () => {
        got.push({ url: req.url!, sig: String(req.headers['x-twilio-signature']), params: Object.fromEntries(new URLSearchParams(b)) });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => app.listen(0, '127.0.0.1', r));
    const cbUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}/webhooks/twilio/status?x=1`;
    try {
      const msg = await client().messages.create({ to: '+46701234567', from: FROM, body: 'x', statusCallback: cbUrl });
      const res = await tw.sendStatusCallback(msg.sid, 'undelivered');
      expect(res.status).toBe(204);
      expect(got[0].params).toMatchObject({ MessageSid: msg.sid, MessageStatus: 'undelivered', ErrorCode: '30003', To: '+46701234567', From: FROM, AccountSid: ACCOUNT });
      expect(twilio.validateRequest(TOKEN, got[0].sig, cbUrl, got[0].params)).toBe(true);
      expect(twilio.validateRequest('other', got[0].sig, cbUrl, got[0].params)).toBe(false);
      expect(tw.messages.get(msg.sid)?.status).toBe('undelivered');
    } finally {
      await new Promise((r) => app.close(r));
    }
  });

  it('counts segments like Twilio (GSM-7 incl. åäö vs UCS-2)', () => {
    expect(smsSegments('å'.repeat(160))).toEqual({ encoding: 'GSM-7', segments: 1 });
    expect(smsSegments('a'.repeat(161)).segments).toBe(2);
    expect(smsSegments('€'.repeat(80))).toEqual({ encoding: 'GSM-7', segments: 1 });
    expect(smsSegments('ł'.repeat(70))).toEqual({ encoding: 'UCS-2', segments: 1 });
    expect(smsSegments('ł'.repeat(71)).segments).toBe(2);
  });
});

describe('TwilioBaseUrlRequestClient', () => {
  it('rewrites api.twilio.com (incl. edge/region hosts) and leaves other hosts alone', async () => {
    const c = new TwilioBaseUrlRequestClient('http://127.0.0.1:9/prefix/');
    const seen: string[] = [];
    (c as unknown as { axios: (o: { url: string }) => Promise<unknown> }).axios = async (o) => {
      seen.push(o.url);
      return { status: 200, data: {}, headers: {} };
    };
    for (const uri of [
      'https://api.twilio.com/2010-04-01/Accounts/AC1/Messages.json',
      'https://api.sydney.au1.twilio.com/2010-04-01/Accounts/AC1/Messages.json',
      'https://messaging.twilio.com/v1/Services',
    ]) {
      await c.request({ method: 'post', uri });
    }
    expect(seen).toEqual([
      'http://127.0.0.1:9/prefix/2010-04-01/Accounts/AC1/Messages.json',
      'http://127.0.0.1:9/prefix/2010-04-01/Accounts/AC1/Messages.json',
      'https://messaging.twilio.com/v1/Services',
    ]);
  });
});
