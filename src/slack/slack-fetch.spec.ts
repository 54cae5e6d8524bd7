import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { LogLevel, WebClient } from '@slack/web-api';
import { SlackStandin } from '../../test/standins/slack.standin';
import { DeliveryError } from '../common/errors';
import { SlackApi } from './slack-api';
import { createSlackFetch } from './slack-fetch';

const TOKEN = 'xoxb-fetch-spec';

describe('createSlackFetch, as the Web API client uses it against the Slack stand-in', () => {
  let slack: SlackStandin;
  const api = (timeoutMs?: number) =>
    new SlackApi(new WebClient(TOKEN, { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true, logLevel: LogLevel.ERROR, fetch: createSlackFetch(timeoutMs) }));

  beforeAll(async () => {
    slack = await SlackStandin.start({ token: TOKEN });
  });
  afterAll(() => slack.close());
  beforeEach(() => slack.reset());

  it('posts the form body as sent (Unicode, right-to-left, emoji) and reads the JSON answer with its headers', async () => {
    const text = 'Svar från Åsa 👍 — محمد قال نعم';
    const res = await api().call<{ ok: boolean; ts: string; channel: string; response_metadata?: { scopes?: string[] } }>('chat.postMessage', { channel: 'C0FETCH', text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] });
    expect(res).toMatchObject({ ok: true, channel: 'C0FETCH' });
    expect(res.response_metadata?.scopes).toContain('chat:write');
    expect(slack.calls[0].args).toMatchObject({ channel: 'C0FETCH', text });
    expect(slack.requests[0].headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(slack.requests[0].headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it('keeps the connection open between calls', async () => {
    let connections = 0;
    const server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify({ ok: true, ts: '1.1' })));
    });
    server.on('connection', () => connections++);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const client = new SlackApi(new WebClient(TOKEN, { slackApiUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`, retryConfig: { retries: 0 }, logLevel: LogLevel.ERROR, fetch: createSlackFetch() }));
      for (let i = 0; i < 5; i++) expect(await client.call('chat.postMessage', { channel: 'C0FETCH', text: `#${i}` })).toMatchObject({ ok: true, ts: '1.1' });
      expect(connections).toBe(1);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it('sends a call again on a new connection when the server closes the kept-alive one it went out on', async () => {
    const served = new WeakMap<object, number>();
    let closed = 0;
    const server = http.createServer((req, res) => {
      const n = (served.get(req.socket) ?? 0) + 1;
      served.set(req.socket, n);
      req.resume();
      // The second request on a connection meets the server closing it, as when its keep-alive time ran out.
      if (n === 2) {
        closed++;
        req.socket.destroy();
        return;
      }
      req.on('end', () => res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify({ ok: true, ts: `${n}.0` })));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const client = new SlackApi(new WebClient(TOKEN, { slackApiUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`, retryConfig: { retries: 0 }, logLevel: LogLevel.ERROR, fetch: createSlackFetch() }));
      expect(await client.call('chat.postMessage', { channel: 'C0FETCH', text: 'one' })).toMatchObject({ ok: true });
      expect(await client.call('chat.postMessage', { channel: 'C0FETCH', text: 'two' })).toMatchObject({ ok: true, ts: '1.0' });
      expect(closed).toBe(1);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it("turns Slack's 429 into a throttled DeliveryError with Retry-After, and a 503 into a temporary one", async () => {
    slack.failNext(1, { status: 429, retryAfter: 7 }).failNext(1, { status: 503 });
    const limited = await api().call('chat.update', { channel: 'C0FETCH', ts: '1.2', text: 'x' }).catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(DeliveryError);
    expect(limited).toMatchObject({ throttle: { byApp: false }, retryAfterMs: 7000, code: 'ratelimited' });
    const down = await api().call('chat.update', { channel: 'C0FETCH', ts: '1.2', text: 'x' }).catch((e: unknown) => e);
    expect(down).toMatchObject({ temporary: true });
    expect((down as DeliveryError).throttle).toBeUndefined();
    expect((down as Error).message).toContain('HTTP 503');
  });

  it('gives up on a call that gets no answer in time, as a temporary failure', async () => {
    slack.failNext(1, { hang: 2000 });
    const err = await api(200).call('chat.postMessage', { channel: 'C0FETCH', text: 'late' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ temporary: true });
    expect((err as Error).message).toContain('no answer within 200 ms');
  });
});
