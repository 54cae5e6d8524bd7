/**
 * Slack Web API stand-in: `POST {url}/api/<method>`.
 * Point the SDK at it with `new WebClient(token, { slackApiUrl: `${standin.url}/api/` })`.
 */
import { randomBytes } from 'node:crypto';
import { checkBlockKit } from './slack-blockkit';
import { mediaType, parseBearer, RawRequest, StandinBase, StandinResponse } from './base';

export { checkBlockKit } from './slack-blockkit';
export type { BlockKitKind } from './slack-blockkit';
export type { Fault } from './base';

export interface SlackStandinOptions {
  /** Bot token the app must present (Authorization: Bearer, or a `token` form field). */
  token: string;
  teamId?: string;
  botUserId?: string;
  botId?: string;
  /** Scopes reported in the `x-oauth-scopes` response header (WebClient exposes them as response_metadata.scopes). */
  scopes?: string[];
  /** tz for users.info of users not registered with setUser (default Europe/Stockholm). */
  defaultTz?: string;
  /**
   * Slack's rate limits, enforced when given (HTTP 429, `ratelimited`, `Retry-After` in seconds): chat.postMessage
   * per channel ("1 per second, short bursts allowed") and chat.update for the workspace (Tier 3, 50+ a minute).
   * A burst of `burst` calls is let through after a quiet spell, then one per interval (GCRA).
   */
  limits?: { channelPostsPerMinute: number; channelBurst: number; updatesPerMinute: number; updateBurst: number };
}

export interface SlackCall {
  /** API method, e.g. 'chat.postMessage'. */
  method: string;
  /** Decoded arguments (JSON-string form fields such as blocks/view/attachments are parsed; `token` removed). */
  args: Record<string, any>;
  at: number;
  ok: boolean;
  /** Slack error code when ok is false. */
  error?: string;
  /** Full JSON the stand-in answered. */
  response: Record<string, any>;
}

export interface SlackMessage {
  channel: string;
  ts: string;
  thread_ts?: string;
  text?: string;
  blocks?: unknown[];
  attachments?: unknown[];
  metadata?: unknown;
  edited?: boolean;
}

export interface SlackView {
  id: string;
  team_id: string;
  type: 'modal' | 'home';
  hash: string;
  root_view_id: string;
  previous_view_id: string | null;
  external_id: string;
  callback_id: string;
  private_metadata: string;
  /** The user the home tab was published for (views.publish). */
  user_id?: string;
  [k: string]: unknown;
}

export interface SlackUser {
  id: string;
  team_id?: string;
  name?: string;
  real_name?: string;
  tz?: string;
  tz_label?: string;
  tz_offset?: number;
  is_bot?: boolean;
  deleted?: boolean;
  profile?: Record<string, unknown>;
  [k: string]: unknown;
}

/** Form fields Slack accepts as JSON strings. */
const JSON_FIELDS = new Set(['blocks', 'attachments', 'view', 'metadata', 'unfurls', 'user_auth_blocks']);

type Result = Record<string, any>;
type Handler = (args: Record<string, any>) => Result;

export class SlackStandin extends StandinBase<SlackCall> {
  readonly opts: Required<Omit<SlackStandinOptions, 'scopes' | 'limits'>> & { scopes: string[]; limits?: SlackStandinOptions['limits'] };
  /** Posted messages by `${channel}/${ts}`. */
  readonly messages = new Map<string, SlackMessage>();
  /** Views by id. */
  readonly views = new Map<string, SlackView>();
  /** Ephemeral messages (not addressable by ts in Slack, so kept apart). */
  readonly ephemerals: Array<{ channel: string; user: string; message_ts: string; text?: string; blocks?: unknown[] }> = [];
  private users = new Map<string, SlackUser>();
  private channels = new Map<string, Record<string, unknown>>();
  private usedTriggers = new Set<string>();
  private expiredTriggers = new Set<string>();
  private lastTsMicros = 0;
  /** Theoretical arrival time of the next call per rate-limit key (GCRA), ms. */
  private readonly nextAllowed = new Map<string, number>();
  private seq = 0;

  private constructor(opts: SlackStandinOptions) {
    super();
    this.opts = {
      teamId: 'T0STANDIN',
      botUserId: 'U0STANDBOT',
      botId: 'B0STANDBOT',
      defaultTz: 'Europe/Stockholm',
      scopes: ['chat:write', 'users:read', 'users:read.email', 'channels:read', 'im:write'],
      ...opts,
    } as SlackStandin['opts'];
  }

  static async start(opts: SlackStandinOptions): Promise<SlackStandin> {
    const s = new SlackStandin(opts);
    await s.listen();
    return s;
  }

  /** What to pass as `slackApiUrl` (WebClient appends '/' itself if missing, then the method name). */
  get apiUrl(): string {
    return `${this.url}/api/`;
  }

  override reset(): void {
    super.reset();
    this.messages.clear();
    this.views.clear();
    this.ephemerals.length = 0;
    this.usedTriggers.clear();
    this.expiredTriggers.clear();
    this.nextAllowed.clear();
  }

  /** Calls answered 429 because they went over `limits`. */
  rateLimited(): SlackCall[] {
    return this.calls.filter((c) => c.error === 'ratelimited');
  }

  /** Seconds to wait when the call goes over `limits`, else null (and the call counts). */
  private overLimit(method: string, args: Record<string, any>, now: number): number | null {
    const l = this.opts.limits;
    if (!l) return null;
    const rule =
      method === 'chat.postMessage' ? { key: `post:${String(args.channel)}`, interval: 60_000 / l.channelPostsPerMinute, burst: l.channelBurst }
      : method === 'chat.update' ? { key: 'update', interval: 60_000 / l.updatesPerMinute, burst: l.updateBurst }
      : null;
    if (!rule) return null;
    const tat = Math.max(this.nextAllowed.get(rule.key) ?? 0, now);
    const early = tat - (rule.burst - 1) * rule.interval - now;
    if (early > 0) return Math.max(1, Math.ceil(early / 1000));
    this.nextAllowed.set(rule.key, tat + rule.interval);
    return null;
  }

  /** Register a user for users.info (merged over a synthesized default). */
  setUser(user: SlackUser): this {
    this.users.set(user.id, user);
    return this;
  }

  /** Register a channel for conversations.info. */
  setChannel(channel: { id: string; name?: string; [k: string]: unknown }): this {
    this.channels.set(channel.id, channel);
    return this;
  }

  /** Make views.open/views.push with this trigger_id fail with `expired_trigger_id`. */
  expireTrigger(triggerId: string): this {
    this.expiredTriggers.add(triggerId);
    return this;
  }

  /** A fresh trigger id, as Slack puts in interaction payloads. */
  newTriggerId(): string {
    return `${Date.now()}.${randomBytes(4).readUInt32BE()}.${randomBytes(16).toString('hex')}`;
  }

  /** Calls of one method that Slack accepted (ok: true). */
  okCalls(method: string): SlackCall[] {
    return this.calls.filter((c) => c.method === method && c.ok);
  }

  protected override describe(c: SlackCall): unknown {
    return { method: c.method, ok: c.ok, error: c.error };
  }

  protected override matchKey(req: RawRequest): string {
    return req.path.replace(/^\/api\//, '');
  }

  protected faultResponse(fault: { status: number }): StandinResponse {
    if (fault.status === 429) return { status: 429, body: { ok: false, error: 'ratelimited' } };
    if (fault.status >= 500) return { status: fault.status, body: 'upstream error', headers: { 'Content-Type': 'text/plain' } };
    return { status: fault.status, body: { ok: false, error: 'invalid_request' } };
  }

  protected handle(req: RawRequest): StandinResponse {
    const m = /^\/api\/([A-Za-z0-9_.]+)$/.exec(req.path);
    if (!m) return { status: 404, body: '<html>404 Not Found</html>', headers: { 'Content-Type': 'text/html' } };
    const method = m[1];
    const ct = mediaType(req.headers['content-type']);
    const args: Record<string, any> = {};
    const warnings: string[] = [];
    const headerToken = parseBearer(req.headers.authorization);
    let result: Result;
    const finish = (r: Result): StandinResponse => {
      if (warnings.length) r = { ...r, warning: warnings.join(','), response_metadata: { ...(r.response_metadata ?? {}), warnings } };
      const { token: _t, ...recordedArgs } = args;
      this.calls.push({ method, args: recordedArgs, at: req.at, ok: r.ok === true, error: r.error, response: r });
      return {
        status: 200,
        body: r,
        headers: { 'x-oauth-scopes': this.opts.scopes.join(','), 'x-accepted-oauth-scopes': '' },
      };
    };

    for (const [k, v] of req.query) args[k] = v;
    if (req.body.length > 0) {
      if (ct === 'application/x-www-form-urlencoded') {
        for (const [k, v] of new URLSearchParams(req.body.toString('utf8'))) {
          if (JSON_FIELDS.has(k) && /^\s*[[{]/.test(v)) {
            try {
              args[k] = JSON.parse(v);
            } catch {
              return finish({ ok: false, error: 'invalid_arguments', response_metadata: { messages: [`[ERROR] invalid JSON [json-pointer:/${k}]`] } });
            }
          } else args[k] = v;
        }
      } else if (ct === 'application/json') {
        if (!/charset=utf-8/i.test(String(req.headers['content-type']))) warnings.push('missing_charset');
        let parsed: unknown;
        try {
          parsed = JSON.parse(req.body.toString('utf8'));
        } catch {
          return finish({ ok: false, error: 'invalid_json' });
        }
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return finish({ ok: false, error: 'invalid_json' });
        Object.assign(args, parsed);
        // Slack ignores a token in a JSON body: JSON requests must authenticate with the header.
        if (!headerToken) return finish({ ok: false, error: 'not_authed' });
      } else {
        return finish({ ok: false, error: 'invalid_form_data' });
      }
    }

    const token = headerToken ?? (typeof args.token === 'string' ? args.token : undefined);
    if (!token) return finish({ ok: false, error: 'not_authed' });
    if (token !== this.opts.token) return finish({ ok: false, error: 'invalid_auth' });

    const handler = this.handlers[method];
    if (!handler) return finish({ ok: false, error: 'unknown_method', req_method: method });
    const retryAfter = this.overLimit(method, args, Date.now());
    if (retryAfter !== null) {
      const { token: _t, ...recordedArgs } = args;
      const body = { ok: false, error: 'ratelimited' };
      this.calls.push({ method, args: recordedArgs, at: req.at, ok: false, error: 'ratelimited', response: body });
      return { status: 429, body, headers: { 'Retry-After': String(retryAfter) } };
    }
    try {
      result = handler(args);
    } catch (e) {
      if (e instanceof SlackError) result = e.result;
      else throw e;
    }
    return finish(result);
  }

  // ---- helpers -------------------------------------------------------------------------------

  private nextTs(): string {
    const now = Date.now() * 1000;
    this.lastTsMicros = Math.max(now - (now % 100), this.lastTsMicros + 100);
    const s = Math.floor(this.lastTsMicros / 1e6);
    const us = this.lastTsMicros % 1e6;
    return `${s}.${String(us).padStart(6, '0')}`;
  }

  private id(prefix: string): string {
    this.seq += 1;
    return `${prefix}${randomBytes(4).toString('hex').toUpperCase()}${this.seq}`;
  }

  private requireString(args: Record<string, any>, name: string, error = 'invalid_arguments'): string {
    const v = args[name];
    if (typeof v !== 'string' || v === '') {
      throw new SlackError({ ok: false, error, response_metadata: { messages: [`[ERROR] missing required field: ${name}`] } });
    }
    return v;
  }

  private checkMessage(args: Record<string, any>): void {
    const hasText = typeof args.text === 'string' && args.text.length > 0;
    const hasBlocks = Array.isArray(args.blocks) && args.blocks.length > 0;
    const hasAttachments = Array.isArray(args.attachments) && args.attachments.length > 0;
    if (!hasText && !hasBlocks && !hasAttachments) throw new SlackError({ ok: false, error: 'no_text' });
    if (typeof args.text === 'string' && [...args.text].length > 40000) throw new SlackError({ ok: false, error: 'msg_too_long' });
    if (args.blocks !== undefined && !Array.isArray(args.blocks)) throw new SlackError({ ok: false, error: 'invalid_blocks_format' });
    const problems = checkBlockKit('message', { text: args.text, blocks: args.blocks });
    if (problems.length) throw blockError('invalid_blocks', problems, '');
  }

  private checkView(kind: 'modal' | 'home', view: unknown): Record<string, any> {
    if (typeof view !== 'object' || view === null || Array.isArray(view)) {
      throw new SlackError({ ok: false, error: 'invalid_arguments', response_metadata: { messages: ['[ERROR] must provide an object [json-pointer:/view]'] } });
    }
    const problems = checkBlockKit(kind, view);
    if (problems.length) throw blockError('invalid_arguments', problems, '/view');
    return view as Record<string, any>;
  }

  private useTrigger(triggerId: string): void {
    if (this.expiredTriggers.has(triggerId)) throw new SlackError({ ok: false, error: 'expired_trigger_id' });
    if (this.usedTriggers.has(triggerId)) throw new SlackError({ ok: false, error: 'exchanged_trigger_id' });
    this.usedTriggers.add(triggerId);
  }

  private storeView(input: Record<string, any>, base: Partial<SlackView>): SlackView {
    const id = base.id ?? this.id('V');
    const view: SlackView = {
      title: undefined,
      submit: null,
      close: null,
      state: { values: {} },
      clear_on_close: false,
      notify_on_close: false,
      app_id: 'A0STANDIN',
      app_installed_team_id: this.opts.teamId,
      bot_id: this.opts.botId,
      ...input,
      id,
      team_id: this.opts.teamId,
      type: input.type,
      hash: `${Math.floor(Date.now() / 1000)}.${randomBytes(4).toString('hex')}`,
      root_view_id: base.root_view_id ?? id,
      previous_view_id: base.previous_view_id ?? null,
      external_id: typeof input.external_id === 'string' ? input.external_id : '',
      callback_id: typeof input.callback_id === 'string' ? input.callback_id : '',
      private_metadata: typeof input.private_metadata === 'string' ? input.private_metadata : '',
      ...(base.user_id ? { user_id: base.user_id } : {}),
    };
    if (view.external_id) {
      for (const v of this.views.values()) {
        if (v.id !== id && v.external_id === view.external_id) throw new SlackError({ ok: false, error: 'duplicate_external_id' });
      }
    }
    this.views.set(id, view);
    return view;
  }

  private dmFor(channel: string): string {
    // Posting to a user id opens/uses the bot's DM with that user; Slack answers with the D… channel id.
    return /^[UW][A-Z0-9]+$/.test(channel) ? `D${channel.slice(1)}` : channel;
  }

  private defaultUser(id: string): SlackUser {
    return {
      id,
      team_id: this.opts.teamId,
      name: id.toLowerCase(),
      real_name: `User ${id}`,
      deleted: false,
      is_bot: false,
      tz: this.opts.defaultTz,
      tz_label: this.opts.defaultTz,
      tz_offset: tzOffsetSeconds(this.opts.defaultTz),
      profile: {
        real_name: `User ${id}`,
        display_name: id.toLowerCase(),
        email: `${id.toLowerCase()}@example.com`,
        image_72: `https://example.com/${id}.png`,
      },
    };
  }

  private readonly handlers: Record<string, Handler> = {
    'api.test': (args) => ({ ok: true, args }),
    'auth.test': () => ({
      ok: true,
      url: `https://standin.slack.com/`,
      team: 'Stand-in',
      user: 'standin-bot',
      team_id: this.opts.teamId,
      user_id: this.opts.botUserId,
      bot_id: this.opts.botId,
      is_enterprise_install: false,
    }),

    'chat.postMessage': (args) => {
      const requested = this.requireString(args, 'channel', 'channel_not_found');
      this.checkMessage(args);
      const channel = this.dmFor(requested);
      const ts = this.nextTs();
      const msg: SlackMessage = { channel, ts, text: args.text, blocks: args.blocks, attachments: args.attachments, metadata: args.metadata };
      if (args.thread_ts !== undefined) msg.thread_ts = String(args.thread_ts);
      this.messages.set(`${channel}/${ts}`, msg);
      return {
        ok: true,
        channel,
        ts,
        message: {
          type: 'message',
          user: this.opts.botUserId,
          bot_id: this.opts.botId,
          app_id: 'A0STANDIN',
          team: this.opts.teamId,
          text: args.text ?? '',
          ts,
          ...(args.blocks ? { blocks: args.blocks } : {}),
          ...(msg.thread_ts ? { thread_ts: msg.thread_ts, parent_user_id: this.opts.botUserId } : {}),
        },
      };
    },

    'chat.update': (args) => {
      const requested = this.requireString(args, 'channel', 'channel_not_found');
      const ts = this.requireString(args, 'ts', 'message_not_found');
      const channel = this.dmFor(requested);
      const msg = this.messages.get(`${channel}/${ts}`);
      if (!msg) return { ok: false, error: 'message_not_found' };
      this.checkMessage({ text: args.text ?? msg.text, blocks: args.blocks ?? msg.blocks, attachments: args.attachments ?? msg.attachments });
      if (args.text !== undefined) msg.text = args.text;
      if (args.blocks !== undefined) msg.blocks = args.blocks;
      if (args.attachments !== undefined) msg.attachments = args.attachments;
      msg.edited = true;
      return {
        ok: true,
        channel,
        ts,
        text: msg.text ?? '',
        message: { type: 'message', user: this.opts.botUserId, bot_id: this.opts.botId, text: msg.text ?? '', blocks: msg.blocks, edited: { user: this.opts.botUserId, ts: this.nextTs() } },
      };
    },

    'chat.postEphemeral': (args) => {
      const channel = this.requireString(args, 'channel', 'channel_not_found');
      const user = this.requireString(args, 'user', 'user_not_in_channel');
      this.checkMessage(args);
      const message_ts = this.nextTs();
      this.ephemerals.push({ channel, user, message_ts, text: args.text, blocks: args.blocks });
      return { ok: true, message_ts };
    },

    'views.open': (args) => {
      const trigger = this.requireString(args, 'trigger_id', 'invalid_arguments');
      const view = this.checkView('modal', args.view);
      this.useTrigger(trigger);
      return { ok: true, view: this.storeView(view, {}) };
    },

    'views.push': (args) => {
      const trigger = this.requireString(args, 'trigger_id', 'invalid_arguments');
      const view = this.checkView('modal', args.view);
      this.useTrigger(trigger);
      return { ok: true, view: this.storeView(view, {}) };
    },

    'views.update': (args) => {
      if (!args.view_id && !args.external_id) {
        return { ok: false, error: 'invalid_arguments', response_metadata: { messages: ['[ERROR] must provide view_id or external_id'] } };
      }
      const existing = args.view_id
        ? this.views.get(String(args.view_id))
        : [...this.views.values()].find((v) => v.external_id === args.external_id);
      if (!existing) return { ok: false, error: 'not_found' };
      if (args.hash !== undefined && args.hash !== existing.hash) return { ok: false, error: 'hash_conflict' };
      const view = this.checkView(existing.type, args.view);
      return { ok: true, view: this.storeView(view, { id: existing.id, root_view_id: existing.root_view_id, previous_view_id: existing.previous_view_id }) };
    },

    'views.publish': (args) => {
      const userId = this.requireString(args, 'user_id', 'invalid_arguments');
      const view = this.checkView('home', args.view);
      const existing = [...this.views.values()].find((v) => v.type === 'home' && v.user_id === userId);
      if (existing && args.hash !== undefined && args.hash !== existing.hash) return { ok: false, error: 'hash_conflict' };
      return { ok: true, view: this.storeView(view, { id: existing?.id, user_id: userId }) };
    },

    'users.info': (args) => {
      const id = this.requireString(args, 'user', 'user_not_found');
      const known = this.users.get(id);
      if (!known && !/^[UW][A-Z0-9]+$/.test(id)) return { ok: false, error: 'user_not_found' };
      const base = this.defaultUser(id);
      const user = known ? { ...base, ...known, profile: { ...(base.profile ?? {}), ...(known.profile ?? {}) } } : base;
      return { ok: true, user };
    },

    'conversations.info': (args) => {
      const id = this.requireString(args, 'channel', 'channel_not_found');
      const known = this.channels.get(id);
      if (!known && !/^[CGD][A-Z0-9]+$/.test(id)) return { ok: false, error: 'channel_not_found' };
      const isIm = id.startsWith('D');
      return {
        ok: true,
        channel: {
          id,
          name: isIm ? undefined : `channel-${id.toLowerCase()}`,
          is_channel: id.startsWith('C'),
          is_group: false,
          is_im: isIm,
          is_private: id.startsWith('G'),
          is_archived: false,
          is_member: true,
          created: 1700000000,
          ...(known ?? {}),
        },
      };
    },
  };
}

class SlackError extends Error {
  constructor(readonly result: Result) {
    super(String(result.error));
  }
}

function blockError(error: string, problems: string[], prefix: string): SlackError {
  const messages = problems.map((p) => `[ERROR] ${p.replace('[json-pointer:', `[json-pointer:${prefix}`)}`);
  return new SlackError({ ok: false, error, errors: messages.map((m) => m.slice('[ERROR] '.length)), response_metadata: { messages } });
}

function tzOffsetSeconds(tz: string): number {
  try {
    const now = new Date();
    const local = new Date(now.toLocaleString('en-US', { timeZone: tz }));
    const utc = new Date(now.toLocaleString('en-US', { timeZone: 'UTC' }));
    return Math.round((local.getTime() - utc.getTime()) / 1000);
  } catch {
    return 0;
  }
}
