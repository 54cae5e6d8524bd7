import { ErrorCode, LogLevel, WebClient, WebAPIPlatformError, WebAPIRateLimitedError } from '@slack/web-api';
import type { Logger } from '@slack/web-api';
import { SlackStandin } from './slack.standin';

const TOKEN = 'xoxb-standin-token';
const silent: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  setLevel: () => undefined,
  getLevel: () => LogLevel.ERROR,
  setName: () => undefined,
};

describe('SlackStandin via @slack/web-api WebClient', () => {
  let slack: SlackStandin;
  const client = (opts: Partial<ConstructorParameters<typeof WebClient>[1]> = {}, token = TOKEN) =>
    new WebClient(token, { slackApiUrl: slack.apiUrl, logger: silent, retryConfig: { retries: 0 }, ...opts });

  beforeAll(async () => {
    slack = await SlackStandin.start({ token: TOKEN });
  });
  afterAll(() => slack.close());
  beforeEach(() => slack.reset());

  it('answers auth.test and records the call', async () => {
    const res = await client().auth.test();
    expect(res).toMatchObject({ ok: true, user_id: 'U0STANDBOT', bot_id: 'B0STANDBOT', team_id: 'T0STANDIN' });
    expect(res.response_metadata?.scopes).toContain('chat:write');
    expect(slack.calls).toEqual([expect.objectContaining({ method: 'auth.test', ok: true })]);
    // WebClient sends the token as a Bearer header and the args form-encoded.
    expect(slack.requests[0].headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(slack.requests[0].headers['content-type']).toBe('application/x-www-form-urlencoded');
  });

  it('works with slackApiUrl without the trailing slash too', async () => {
    const res = await new WebClient(TOKEN, { slackApiUrl: `${slack.url}/api`, logger: silent }).auth.test();
    expect(res.ok).toBe(true);
  });

  it('posts messages with decoded blocks, unique increasing ts, threads and updates', async () => {
    const web = client();
    const blocks = [{ type: 'section', block_id: 'b1', text: { type: 'mrkdwn', text: '*Hi*' } }];
    const first = await web.chat.postMessage({ channel: 'C123', text: 'Hi', blocks });
    const reply = await web.chat.postMessage({ channel: 'C123', text: 'in thread', thread_ts: first.ts! });
    expect(first.channel).toBe('C123');
    expect(first.ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(Number(reply.ts)).toBeGreaterThan(Number(first.ts));
    expect(slack.calls[0].args.blocks).toEqual(blocks); // arrived as a JSON string, decoded
    expect(slack.calls[0].args).not.toHaveProperty('token');
    expect(slack.messages.get(`C123/${reply.ts}`)?.thread_ts).toBe(first.ts);

    const upd = await web.chat.update({ channel: 'C123', ts: first.ts!, text: 'edited' });
    expect(upd.ok).toBe(true);
    await expect(web.chat.update({ channel: 'C123', ts: '1.000100', text: 'x' })).rejects.toMatchObject({
      code: ErrorCode.PlatformError,
      data: { error: 'message_not_found' },
    });
  });

  it('returns the DM channel when posting to a user id', async () => {
    const res = await client().chat.postMessage({ channel: 'U42', text: 'dm' });
    expect(res.channel).toBe('D42');
  });

  it('rejects a wrong token with invalid_auth (HTTP 200)', async () => {
    const err = await client({}, 'xoxb-wrong').auth.test().catch((e) => e);
    expect(err).toBeInstanceOf(WebAPIPlatformError);
    expect(err.data.error).toBe('invalid_auth');
    expect(slack.requests[0].status).toBe(200);
  });

  it('rate limits with 429 + Retry-After (rejectRateLimitedCalls)', async () => {
    slack.failNext(1, { status: 429, retryAfter: 7 }, 'chat.postMessage');
    const web = client({ rejectRateLimitedCalls: true });
    await expect(web.auth.test()).resolves.toMatchObject({ ok: true }); // fault only matches chat.postMessage
    const err = await web.chat.postMessage({ channel: 'C1', text: 'x' }).catch((e) => e);
    expect(err).toBeInstanceOf(WebAPIRateLimitedError);
    expect(err.retryAfter).toBe(7);
    expect(slack.calls.filter((c) => c.method === 'chat.postMessage')).toHaveLength(0);
  });

  it('WebClient retries a 429 after Retry-After seconds by default', async () => {
    slack.failNext(1, { status: 429, retryAfter: 0 });
    const web = client({ retryConfig: { retries: 1, minTimeout: 0, maxTimeout: 0 } });
    const res = await web.chat.postMessage({ channel: 'C1', text: 'x' });
    expect(res.ok).toBe(true);
    expect(slack.requests).toHaveLength(2);
    expect(slack.okCalls('chat.postMessage')).toHaveLength(1);
  });

  it('a hang makes the client time out, but the message is still posted', async () => {
    slack.failNext(1, { hang: 300 });
    const err = await client({ timeout: 100 }).chat.postMessage({ channel: 'C1', text: 'late' }).catch((e) => e);
    expect(err.code).toBe(ErrorCode.RequestError);
    const calls = await slack.waitFor((cs) => cs.some((c) => c.method === 'chat.postMessage' && c.ok), 1000);
    expect(calls).toHaveLength(1);
  });

  it('500 surfaces as an HTTP error', async () => {
    slack.failNext(1, { status: 500 });
    await expect(client().auth.test()).rejects.toMatchObject({ code: ErrorCode.HTTPError, statusCode: 500 });
  });

  it('validates modals in views.open (limits, trigger reuse)', async () => {
    const web = client();
    const view = {
      type: 'modal' as const,
      title: { type: 'plain_text' as const, text: 'Book an interview' },
      submit: { type: 'plain_text' as const, text: 'Send' },
      blocks: [
        { type: 'input', block_id: 'when', label: { type: 'plain_text', text: 'When' }, element: { type: 'plain_text_input', action_id: 'v' } },
      ],
    };
    const opened = await web.views.open({ trigger_id: 't1', view });
    expect(opened.view?.id).toMatch(/^V/);
    expect(slack.calls[0].args.view).toEqual(view);
    await expect(web.views.open({ trigger_id: 't1', view })).rejects.toMatchObject({ data: { error: 'exchanged_trigger_id' } });

    const tooLong = { ...view, title: { type: 'plain_text' as const, text: 'x'.repeat(25) } };
    const err = await web.views.open({ trigger_id: 't2', view: tooLong }).catch((e) => e);
    expect(err.data.error).toBe('invalid_arguments');
    expect(err.data.response_metadata.messages).toEqual([
      '[ERROR] must be less than 25 characters [json-pointer:/view/title/text]',
    ]);

    const many = { ...view, blocks: Array.from({ length: 101 }, () => ({ type: 'divider' })) };
    const err2 = await web.views.open({ trigger_id: 't3', view: many }).catch((e) => e);
    expect(err2.data.response_metadata.messages).toContain('[ERROR] no more than 100 items allowed [json-pointer:/view/blocks]');

    const upd = await web.views.update({ view_id: opened.view!.id!, view: { ...view, private_metadata: 'x' } });
    expect(upd.view?.private_metadata).toBe('x');
    await expect(web.views.update({ view_id: opened.view!.id!, hash: 'stale', view })).rejects.toMatchObject({
      data: { error: 'hash_conflict' },
    });
  });

  it('rejects > 50 blocks in a message with invalid_blocks', async () => {
    const blocks = Array.from({ length: 51 }, () => ({ type: 'divider' }));
    const err = await client().chat.postMessage({ channel: 'C1', text: 'x', blocks }).catch((e) => e);
    expect(err.data.error).toBe('invalid_blocks');
    expect(err.data.response_metadata.messages[0]).toContain('[json-pointer:/blocks]');
  });

  it('publishes home tabs, answers users.info / conversations.info', async () => {
    const web = client();
    const home = await web.views.publish({ user_id: 'U1', view: { type: 'home', blocks: [{ type: 'divider' }] } });
    expect(home.view?.type).toBe('home');
    slack.setUser({ id: 'U1', tz: 'America/New_York', profile: { email: 'ada@example.com' } });
    const u = await web.users.info({ user: 'U1' });
    expect(u.user).toMatchObject({ id: 'U1', tz: 'America/New_York', profile: { email: 'ada@example.com', display_name: 'u1' } });
    const c = await web.conversations.info({ channel: 'C9' });
    expect(c.channel).toMatchObject({ id: 'C9', is_channel: true });
  });

  it('unknown methods and JSON bodies', async () => {
    await expect(client().apiCall('nope.nothing')).rejects.toMatchObject({ data: { error: 'unknown_method' } });
    const noAuth = await fetch(`${slack.url}/api/auth.test`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ token: TOKEN }),
    }).then((r) => r.json());
    expect(noAuth).toMatchObject({ ok: false, error: 'not_authed' });
    const ok = await fetch(`${slack.url}/api/chat.postMessage`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({ channel: 'C1', blocks: [{ type: 'divider' }] }),
    }).then((r) => r.json());
    expect(ok).toMatchObject({ ok: true, response_metadata: { warnings: ['missing_charset'] } });
  });
});

describe('SlackStandin rate limits', () => {
  let slack: SlackStandin;
  beforeAll(async () => {
    slack = await SlackStandin.start({ token: TOKEN, limits: { channelPostsPerMinute: 60, channelBurst: 3, updatesPerMinute: 60, updateBurst: 2 } });
  });
  afterAll(() => slack.close());

  it('answers 429 ratelimited with Retry-After past a channel’s burst, per channel, and counts chat.update apart', async () => {
    const web = new WebClient(TOKEN, { slackApiUrl: slack.apiUrl, logger: silent, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true });
    for (let i = 0; i < 3; i++) await web.chat.postMessage({ channel: 'C1', text: `m${i}` });
    const err = await web.chat.postMessage({ channel: 'C1', text: 'one too many' }).catch((e) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as WebAPIRateLimitedError).code).toBe(ErrorCode.RateLimitedError);
    expect((err as WebAPIRateLimitedError).retryAfter).toBe(1);
    await web.chat.postMessage({ channel: 'C2', text: 'another channel' });
    const posted = await web.chat.postMessage({ channel: 'C2', text: 'to edit' });
    await web.chat.update({ channel: 'C2', ts: posted.ts!, text: 'edit 1' });
    await web.chat.update({ channel: 'C2', ts: posted.ts!, text: 'edit 2' });
    await expect(web.chat.update({ channel: 'C2', ts: posted.ts!, text: 'edit 3' })).rejects.toMatchObject({ code: ErrorCode.RateLimitedError });
    expect(slack.rateLimited().map((c) => c.method)).toEqual(['chat.postMessage', 'chat.update']);
    expect(slack.okCalls('chat.postMessage')).toHaveLength(5);
  });
});
