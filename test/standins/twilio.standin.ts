/**
 * Twilio Programmable Messaging stand-in: `POST {url}/2010-04-01/Accounts/{AccountSid}/Messages.json`
 * (+ `GET …/Messages/{Sid}.json`). Point the official client at it with `TwilioBaseUrlRequestClient`
 * (src/notifications/transports/twilio-base-url.client.ts; see README.md).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mediaType, parseBasicAuth, RawRequest, StandinBase, StandinResponse } from './base';
import { signTwilioRequest } from '../support/signing';

export type { Fault } from './base';

export interface TwilioStandinOptions {
  accountSid: string;
  authToken: string;
  /** Optional API key credentials (SK…/secret), accepted as Basic auth too. */
  apiKeySid?: string;
  apiKeySecret?: string;
  /** If set, `From` must be one of these (else 21606). Alphanumeric sender ids are always allowed. */
  fromNumbers?: string[];
}

export type TwilioMessageStatus =
  | 'accepted' | 'queued' | 'sending' | 'sent' | 'delivered' | 'undelivered' | 'failed' | 'read' | 'canceled';

export interface TwilioMessage {
  sid: string;
  account_sid: string;
  api_version: '2010-04-01';
  body: string;
  to: string;
  from: string | null;
  messaging_service_sid: string | null;
  status: TwilioMessageStatus;
  num_segments: string;
  num_media: string;
  direction: 'outbound-api';
  date_created: string;
  date_updated: string;
  date_sent: string | null;
  error_code: number | null;
  error_message: string | null;
  price: string | null;
  price_unit: string;
  uri: string;
  subresource_uris: Record<string, string>;
  /** Not part of Twilio's resource JSON; kept for sendStatusCallback. */
  status_callback?: string;
  validity_period?: number;
}

export interface TwilioCall {
  /** AccountSid from the URL. */
  accountSid: string;
  /** Decoded form params as sent (repeated keys → arrays). */
  params: Record<string, string | string[]>;
  at: number;
  status: number;
  /** Created message sid (201 only). */
  sid?: string;
  /** Twilio error code (4xx only). */
  code?: number;
  response: any;
}

export interface TwilioErrorBody {
  code: number;
  message: string;
  more_info: string;
  status: number;
}

const E164 = /^\+[1-9]\d{1,14}$/;
const ALPHA_SENDER = /^(?=.*[A-Za-z])[A-Za-z0-9 +\-_&.]{1,11}$/;
const GSM7_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM7_EXT = '^{}\\[~]|€\f';

/** Segments Twilio bills for a body: GSM-7 (160 / 153 per part, ext chars count 2) or UCS-2 (70 / 67). */
export function smsSegments(body: string): { encoding: 'GSM-7' | 'UCS-2'; segments: number } {
  const chars = [...body];
  if (chars.length === 0) return { encoding: 'GSM-7', segments: 1 };
  let septets = 0;
  let gsm = true;
  for (const c of chars) {
    if (GSM7_BASIC.includes(c)) septets += 1;
    else if (GSM7_EXT.includes(c)) septets += 2;
    else {
      gsm = false;
      break;
    }
  }
  if (gsm) return { encoding: 'GSM-7', segments: septets <= 160 ? 1 : Math.ceil(septets / 153) };
  const units = body.length; // UTF-16 code units
  return { encoding: 'UCS-2', segments: units <= 70 ? 1 : Math.ceil(units / 67) };
}

export class TwilioStandin extends StandinBase<TwilioCall> {
  readonly opts: TwilioStandinOptions;
  /** Created messages by sid. */
  readonly messages = new Map<string, TwilioMessage>();
  /** Status callbacks delivered by sendStatusCallback. */
  readonly callbacks: Array<{ url: string; params: Record<string, string>; signature: string; status: number; body: string; at: number }> = [];
  private optedOut = new Set<string>();

  private constructor(opts: TwilioStandinOptions) {
    super();
    this.opts = opts;
  }

  static async start(opts: TwilioStandinOptions): Promise<TwilioStandin> {
    const s = new TwilioStandin(opts);
    await s.listen();
    return s;
  }

  override reset(): void {
    super.reset();
    this.messages.clear();
    this.callbacks.length = 0;
    this.optedOut.clear();
  }

  /** Treat `number` as having replied STOP: sends to it fail with 21610. */
  optOut(number: string): this {
    this.optedOut.add(number);
    return this;
  }

  optIn(number: string): this {
    this.optedOut.delete(number);
    return this;
  }

  /** Created (201) message calls only. */
  get sent(): TwilioCall[] {
    return this.calls.filter((c) => c.status === 201);
  }

  protected override describe(c: TwilioCall): unknown {
    return { status: c.status, code: c.code, To: c.params.To };
  }

  protected faultResponse(fault: { status: number }): StandinResponse {
    const messages: Record<number, [number, string]> = {
      429: [20429, 'Too Many Requests'],
      500: [20500, 'Internal Server Error'],
      503: [20503, 'Service Unavailable'],
      404: [20404, 'The requested resource was not found'],
    };
    const [code, message] = messages[fault.status] ?? [20001, 'Invalid parameter'];
    return { status: fault.status, body: twilioError(code, message, fault.status) };
  }

  protected handle(req: RawRequest): StandinResponse {
    const m = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages(?:\/([^/]+))?\.json$/.exec(req.path);
    if (!m) return { status: 404, body: twilioError(20404, `The requested resource ${req.path} was not found`, 404) };
    const [, accountSid, messageSid] = m;

    const auth = parseBasicAuth(req.headers.authorization);
    const o = this.opts;
    const authed =
      !!auth &&
      ((auth.user === o.accountSid && auth.pass === o.authToken) ||
        (!!o.apiKeySid && auth.user === o.apiKeySid && auth.pass === o.apiKeySecret));
    const params = parseForm(req.body.toString('utf8'));
    const reply = (status: number, body: any, extra: Partial<TwilioCall> = {}, headers?: Record<string, string>): StandinResponse => {
      if (req.method === 'POST') this.calls.push({ accountSid, params, at: req.at, status, response: body, ...extra });
      return { status, body, headers };
    };
    if (!authed) {
      return reply(401, twilioError(20003, 'Authenticate', 401), { code: 20003 }, { 'WWW-Authenticate': 'Basic realm="Twilio API"' });
    }
    if (accountSid !== o.accountSid) {
      return reply(404, twilioError(20404, `The requested resource ${req.path} was not found`, 404), { code: 20404 });
    }

    if (messageSid) {
      if (req.method !== 'GET') return reply(405, twilioError(20004, 'Method not allowed', 405), { code: 20004 });
      const msg = this.messages.get(messageSid);
      if (!msg) return { status: 404, body: twilioError(20404, `The requested resource ${req.path} was not found`, 404) };
      return { status: 200, body: publicMessage(msg) };
    }
    if (req.method !== 'POST') return { status: 405, body: twilioError(20004, 'Method not allowed', 405) };
    if (req.body.length && mediaType(req.headers['content-type']) !== 'application/x-www-form-urlencoded') {
      return reply(400, twilioError(20001, 'Content-Type must be application/x-www-form-urlencoded', 400), { code: 20001 });
    }

    const fail = (code: number, message: string) => reply(400, twilioError(code, message, 400), { code });
    const one = (k: string): string | undefined => {
      const v = params[k];
      return Array.isArray(v) ? v[v.length - 1] : v;
    };
    const to = one('To');
    const from = one('From');
    const mss = one('MessagingServiceSid');
    const body = one('Body');
    const media = params.MediaUrl;
    const statusCallback = one('StatusCallback');
    const validity = one('ValidityPeriod');

    if (!to) return fail(21604, "A 'To' phone number is required.");
    const toNumber = to.replace(/^whatsapp:/, '');
    if (!E164.test(toNumber)) return fail(21211, `The 'To' number ${to} is not a valid phone number.`);
    if (!from && !mss) return fail(21603, "A 'From' phone number is required.");
    if (mss && !/^MG[0-9a-f]{32}$/.test(mss)) return fail(21701, `The Messaging Service Sid ${mss} is invalid.`);
    if (from) {
      const fromNumber = from.replace(/^whatsapp:/, '');
      if (!E164.test(fromNumber) && !ALPHA_SENDER.test(fromNumber)) {
        return fail(21212, `The 'From' number ${from} is not a valid phone number, shortcode, or alphanumeric sender ID.`);
      }
      if (o.fromNumbers && E164.test(fromNumber) && !o.fromNumbers.includes(fromNumber)) {
        return fail(21606, `The From phone number ${from} is not a valid, SMS-capable inbound phone number or short code for your account.`);
      }
      if (fromNumber === toNumber) return fail(21266, "'To' and 'From' number cannot be the same");
    }
    if ((body === undefined || body === '') && !media && !one('ContentSid')) return fail(21602, 'Message body is required.');
    if (body !== undefined && [...body].length > 1600) {
      return fail(21617, 'The concatenated message body exceeds the 1600 character limit.');
    }
    if (validity !== undefined && (!/^\d+$/.test(validity) || +validity < 1 || +validity > 36000)) {
      return fail(21624, 'Invalid validity period value');
    }
    if (statusCallback !== undefined && !/^https?:\/\/[^\s/]+/.test(statusCallback)) {
      return fail(21609, `Invalid StatusCallback url: ${statusCallback}`);
    }
    if (this.optedOut.has(toNumber)) return fail(21610, 'Attempt to send to unsubscribed recipient');

    const sid = 'SM' + randomBytes(16).toString('hex');
    const now = rfc2822(new Date());
    const msg: TwilioMessage = {
      sid,
      account_sid: accountSid,
      api_version: '2010-04-01',
      body: body ?? '',
      to,
      from: from ?? null,
      messaging_service_sid: mss ?? null,
      status: from ? 'queued' : 'accepted',
      num_segments: String(smsSegments(body ?? '').segments),
      num_media: String(Array.isArray(media) ? media.length : media ? 1 : 0),
      direction: 'outbound-api',
      date_created: now,
      date_updated: now,
      date_sent: null,
      error_code: null,
      error_message: null,
      price: null,
      price_unit: 'USD',
      uri: `/2010-04-01/Accounts/${accountSid}/Messages/${sid}.json`,
      subresource_uris: {
        media: `/2010-04-01/Accounts/${accountSid}/Messages/${sid}/Media.json`,
        feedback: `/2010-04-01/Accounts/${accountSid}/Messages/${sid}/Feedback.json`,
      },
      status_callback: statusCallback,
      validity_period: validity ? +validity : undefined,
    };
    this.messages.set(sid, msg);
    return reply(201, publicMessage(msg), { sid });
  }

  /**
   * Deliver a status callback for message `sid` to the StatusCallback URL the app gave (or `opts.url`),
   * form-encoded and signed with X-Twilio-Signature using `opts.authToken` (default: the account's token).
   * Updates the stored message's status. Resolves with the app's HTTP answer.
   */
  async sendStatusCallback(
    sid: string,
    status: TwilioMessageStatus,
    opts: { authToken?: string; errorCode?: string; url?: string; extra?: Record<string, string> } = {},
  ): Promise<{ status: number; body: string }> {
    const msg = this.messages.get(sid);
    if (!msg) throw new Error(`TwilioStandin: no message ${sid}`);
    const url = opts.url ?? msg.status_callback;
    if (!url) throw new Error(`TwilioStandin: message ${sid} has no StatusCallback`);
    const params: Record<string, string> = {
      AccountSid: msg.account_sid,
      ApiVersion: '2010-04-01',
      From: msg.from ?? '',
      MessageSid: sid,
      MessageStatus: status,
      SmsSid: sid,
      SmsStatus: status,
      To: msg.to,
    };
    if (!msg.from) delete params.From;
    if (msg.messaging_service_sid) params.MessagingServiceSid = msg.messaging_service_sid;
    if (status === 'failed' || status === 'undelivered') params.ErrorCode = opts.errorCode ?? '30003';
    Object.assign(params, opts.extra ?? {});
    msg.status = status;
    msg.date_updated = rfc2822(new Date());
    if (params.ErrorCode) msg.error_code = Number(params.ErrorCode);

    const signature = signTwilioRequest(opts.authToken ?? this.opts.authToken, url, params);
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        'X-Twilio-Signature': signature,
        'I-Twilio-Idempotency-Token': randomUUID(),
        'User-Agent': 'TwilioProxy/1.1',
        Accept: '*/*',
      },
      body: new URLSearchParams(params).toString(),
    });
    const text = await res.text();
    this.callbacks.push({ url, params, signature, status: res.status, body: text, at: Date.now() });
    return { status: res.status, body: text };
  }
}

function twilioError(code: number, message: string, status: number): TwilioErrorBody {
  return { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status };
}

function publicMessage(m: TwilioMessage): Omit<TwilioMessage, 'status_callback' | 'validity_period'> {
  const { status_callback: _s, validity_period: _v, ...rest } = m;
  return rest;
}

function parseForm(s: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of new URLSearchParams(s)) {
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}

function rfc2822(d: Date): string {
  return d.toUTCString().replace('GMT', '+0000');
}
