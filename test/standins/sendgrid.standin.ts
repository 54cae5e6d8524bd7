/**
 * SendGrid v3 Mail Send stand-in: `POST {url}/v3/mail/send`.
 * See README.md for pointing @sendgrid/mail at it (setApiKey() resets the base URL!).
 */
import { randomBytes } from 'node:crypto';
import { mediaType, parseBearer, RawRequest, StandinBase, StandinResponse } from './base';

export type { Fault } from './base';

export interface SendgridStandinOptions {
  /** API key the app must present as `Authorization: Bearer <key>`. */
  apiKey: string;
  /** Max request size in bytes (SendGrid: 30 MB for the whole message incl. attachments). */
  maxBytes?: number;
}

export interface SendgridError {
  message: string;
  field: string | null;
  help: string | null;
}

export interface SendgridCall {
  /** Parsed JSON request body (undefined if it was not valid JSON). */
  body: any;
  /** X-Message-Id answered on success. */
  messageId?: string;
  at: number;
  status: number;
  errors?: SendgridError[];
  headers: Record<string, string | string[] | undefined>;
}

export interface DeliveredEmail {
  to: { email: string; name?: string }[];
  subject: string;
  text?: string;
  html?: string;
  customArgs: Record<string, string>;
  messageId: string;
  at: number;
}

/** The emails one accepted Mail Send body makes: one per personalization, substitutions applied. */
export function expandPersonalizations(body: any): Omit<DeliveredEmail, 'messageId' | 'at'>[] {
  return (body.personalizations ?? []).map((p: any) => {
    const subs: [string, string][] = Object.entries(p.substitutions ?? {});
    const fill = (v: string | undefined) => (v === undefined ? undefined : subs.reduce((out, [k, val]) => out.split(k).join(val), v));
    const part = (type: string) => fill(body.content?.find((x: any) => x.type === type)?.value);
    return { to: p.to, subject: fill(p.subject ?? body.subject)!, text: part('text/plain'), html: part('text/html'), customArgs: { ...(body.custom_args ?? {}), ...(p.custom_args ?? {}) } };
  });
}

const HELP = 'http://sendgrid.com/docs/API_Reference/Web_API_v3/Mail/errors.html';
const EMAIL_RE = /^[^\s@<>()[\]",;:\\]+@[^\s@<>()[\]",;:\\]+\.[^\s@<>()[\]",;:\\]{2,}$/;
const BASE64_RE = /^[A-Za-z0-9+/\r\n]*={0,2}$/;

export class SendgridStandin extends StandinBase<SendgridCall> {
  readonly opts: Required<SendgridStandinOptions>;

  private constructor(opts: SendgridStandinOptions) {
    super();
    this.opts = { maxBytes: 30 * 1024 * 1024, ...opts };
  }

  static async start(opts: SendgridStandinOptions): Promise<SendgridStandin> {
    const s = new SendgridStandin(opts);
    await s.listen();
    return s;
  }

  /** Accepted (202) sends only. */
  get sent(): SendgridCall[] {
    return this.calls.filter((c) => c.status === 202);
  }

  /**
   * Accepted emails as recipients get them: one per personalization, with its subject (or the message's) and its
   * substitutions applied to every content part, as SendGrid does.
   */
  get messages(): DeliveredEmail[] {
    return this.sent.flatMap((c) => expandPersonalizations(c.body).map((m) => ({ ...m, messageId: c.messageId!, at: c.at })));
  }

  /** All `to` addresses of accepted sends, flattened. */
  get recipients(): string[] {
    return this.sent.flatMap((c) => (c.body.personalizations ?? []).flatMap((p: any) => (p.to ?? []).map((t: any) => t.email)));
  }

  protected override describe(c: SendgridCall): unknown {
    return { status: c.status, to: c.body?.personalizations?.[0]?.to, subject: c.body?.subject, errors: c.errors };
  }

  protected faultResponse(fault: { status: number }): StandinResponse {
    if (fault.status === 429) {
      return {
        status: 429,
        body: { errors: [{ field: null, message: 'too many requests' }] },
        headers: {
          'X-RateLimit-Limit': '600',
          'X-RateLimit-Remaining': '0',
          'X-RateLimit-Reset': String(Math.floor(Date.now() / 1000) + 1),
        },
      };
    }
    if (fault.status >= 500) return { status: fault.status, body: { errors: [{ field: null, message: 'Internal Server Error', help: null }] } };
    return { status: fault.status, body: { errors: [{ field: null, message: 'Bad Request', help: null }] } };
  }

  protected handle(req: RawRequest): StandinResponse {
    const record = (status: number, body: any, errors?: SendgridError[], messageId?: string): void => {
      this.calls.push({ body, status, errors, messageId, at: req.at, headers: req.headers });
    };
    if (req.path !== '/v3/mail/send') {
      return { status: 404, body: { errors: [{ field: null, message: 'resource not found' }] } };
    }
    if (req.method !== 'POST') return { status: 405, body: { errors: [{ field: null, message: 'method not allowed' }] } };

    const key = parseBearer(req.headers.authorization);
    if (key !== this.opts.apiKey) {
      const errors = [{ message: 'The provided authorization grant is invalid, expired, or revoked', field: null, help: null }];
      record(401, undefined, errors);
      return { status: 401, body: { errors } };
    }
    if (req.body.length > this.opts.maxBytes) {
      const errors = [{ message: 'The JSON payload you have included in your request is too large.', field: null, help: null }];
      record(413, undefined, errors);
      return { status: 413, body: { errors } };
    }
    if (mediaType(req.headers['content-type']) !== 'application/json') {
      const errors = [{ message: 'Content-Type should be application/json.', field: null, help: null }];
      record(415, undefined, errors);
      return { status: 415, body: { errors } };
    }
    let body: any;
    try {
      body = JSON.parse(req.body.toString('utf8'));
    } catch {
      const errors = [{ message: 'Bad Request', field: null, help: null }];
      record(400, undefined, errors);
      return { status: 400, body: { errors } };
    }
    const errors = validateMailSend(body);
    if (errors.length) {
      record(400, body, errors);
      return { status: 400, body: { errors } };
    }
    const messageId = randomBytes(16).toString('base64url').slice(0, 22);
    record(202, body, undefined, messageId);
    return { status: 202, headers: { 'X-Message-Id': messageId } };
  }
}

/** SendGrid's Mail Send validation (the subset the app can trip over). Pure; exported for unit tests. */
export function validateMailSend(body: any): SendgridError[] {
  const errors: SendgridError[] = [];
  const e = (message: string, field: string | null, anchor = '') => errors.push({ message, field, help: `${HELP}${anchor}` });
  const isObj = (v: unknown): v is Record<string, any> => typeof v === 'object' && v !== null && !Array.isArray(v);
  const validEmail = (v: unknown) => typeof v === 'string' && EMAIL_RE.test(v);

  if (!isObj(body)) {
    e('Bad Request', null);
    return errors;
  }
  const usesTemplate = typeof body.template_id === 'string' && body.template_id.length > 0;

  // personalizations
  const ps = body.personalizations;
  if (!Array.isArray(ps) || ps.length === 0) {
    e('The personalizations field is required and must have at least one personalization.', 'personalizations', '#-Personalizations-Errors');
  } else {
    if (ps.length > 1000) {
      e('The personalizations field is limited to 1000 personalizations per API request. You must break your request into batches of 1000 or fewer.', 'personalizations', '#-Personalizations-Errors');
    }
    let total = 0;
    ps.forEach((p: any, i: number) => {
      const f = `personalizations.${i}`;
      if (!isObj(p)) return e('Invalid type. Expected: object.', f);
      if (!Array.isArray(p.to) || p.to.length === 0) {
        e('The to array is required for all personalization objects, and must have at least one email object with a valid email address.', `${f}.to`, '#message.personalizations.to');
      }
      const seen = new Map<string, string>();
      for (const kind of ['to', 'cc', 'bcc'] as const) {
        const list = p[kind];
        if (list === undefined) continue;
        if (!Array.isArray(list)) {
          e('Invalid type. Expected: array.', `${f}.${kind}`);
          continue;
        }
        total += list.length;
        list.forEach((r: any, j: number) => {
          const rf = `${f}.${kind}.${j}.email`;
          if (!isObj(r) || !validEmail(r.email)) return e('Does not contain a valid address.', rf, `#message.personalizations.${kind}`);
          const k = String(r.email).toLowerCase();
          if (seen.has(k)) {
            e(`Each email address in the personalization block should be unique between to, cc, and bcc. We found the first duplicate instance of [${r.email}] in the ${f}.${kind} field.`, `${f}.${kind}`, '#message.recipient.duplicates');
          }
          seen.set(k, kind);
        });
      }
      if (p.subject !== undefined && typeof p.subject !== 'string') e('Invalid type. Expected: string.', `${f}.subject`);
      checkStringMap(p.custom_args, `${f}.custom_args`, e);
      checkStringMap(p.headers, `${f}.headers`, e);
      checkStringMap(p.substitutions, `${f}.substitutions`, e);
      if (p.send_at !== undefined) checkSendAt(p.send_at, `${f}.send_at`, e);
    });
    if (total > 1000) {
      e('The total number of recipients must be less than 1000. This includes all recipients defined within the to, cc, and bcc parameters, across each object that you include in the personalizations array.', 'personalizations', '#message.personalizations');
    }
  }

  // from / reply_to
  if (!isObj(body.from) || body.from.email === undefined) {
    e('The from object must be provided for every email send. It is an object that requires the email parameter, but may also contain a name parameter.', 'from', '#message.from');
  } else if (!validEmail(body.from.email)) {
    e('The from email does not contain a valid address.', 'from.email', '#message.from');
  }
  if (body.reply_to !== undefined && (!isObj(body.reply_to) || !validEmail(body.reply_to.email))) {
    e('The reply_to email does not contain a valid address.', 'reply_to.email', '#message.reply_to');
  }

  // subject
  const everyPersonalizationHasSubject =
    Array.isArray(ps) && ps.length > 0 && ps.every((p: any) => isObj(p) && typeof p.subject === 'string' && p.subject.length > 0);
  if (!usesTemplate && !everyPersonalizationHasSubject) {
    if (body.subject === undefined || body.subject === '') {
      e('The subject is required. You can get around this requirement if you use a template with a subject defined or if every personalization has a subject defined.', 'subject', '#message.subject');
    } else if (typeof body.subject !== 'string') {
      e('Invalid type. Expected: string.', 'subject');
    }
  }

  // content
  if (body.content === undefined || (Array.isArray(body.content) && body.content.length === 0)) {
    if (!usesTemplate) {
      e('Unless a valid template_id is provided, the content parameter is required. There must be at least one defined content block. We typically suggest both text/plain and text/html blocks are included, but only one block is required.', 'content', '#message.content');
    }
  } else if (!Array.isArray(body.content)) {
    e('Invalid type. Expected: array.', 'content');
  } else {
    const types: string[] = [];
    body.content.forEach((c: any, i: number) => {
      if (!isObj(c)) return e('Invalid type. Expected: object.', `content.${i}`);
      if (typeof c.type !== 'string' || c.type.length === 0) e('The content type cannot contain ";", or CRLF characters, and must be at least one character.', `content.${i}.type`, '#message.content.type');
      if (typeof c.value !== 'string' || c.value.length === 0) e('The content value must be a string at least one character in length.', `content.${i}.value`, '#message.content.value');
      types.push(String(c.type).toLowerCase());
    });
    const plain = types.indexOf('text/plain');
    const html = types.indexOf('text/html');
    // SendGrid: text/plain first, then text/html, then any other type.
    if ((plain >= 0 && plain !== 0) || (html >= 0 && html !== (plain >= 0 ? 1 : 0))) {
      e('If present, text/plain and text/html must be first, in that order, followed by any other content.', 'content', '#message.content.type');
    }
  }

  // attachments
  if (body.attachments !== undefined) {
    if (!Array.isArray(body.attachments)) e('Invalid type. Expected: array.', 'attachments');
    else
      body.attachments.forEach((a: any, i: number) => {
        const f = `attachments.${i}`;
        if (!isObj(a)) return e('Invalid type. Expected: object.', f);
        if (typeof a.content !== 'string' || a.content.length === 0) e('The attachment content is required.', `${f}.content`, '#message.attachments.content');
        else if (!BASE64_RE.test(a.content) || a.content.replace(/[\r\n]/g, '').length % 4 !== 0) e('The attachment content must be base64 encoded.', `${f}.content`, '#message.attachments.content');
        if (typeof a.filename !== 'string' || a.filename.length === 0) e('The attachment filename parameter is required.', `${f}.filename`, '#message.attachments.filename');
        if (a.type !== undefined && (typeof a.type !== 'string' || a.type.length === 0 || /[;\r\n]/.test(a.type))) {
          e('The attachment type cannot contain ";", or CRLF characters, and must be at least one character.', `${f}.type`, '#message.attachments.type');
        }
        if (a.disposition !== undefined && a.disposition !== 'inline' && a.disposition !== 'attachment') {
          e('The disposition must be either "inline" or "attachment".', `${f}.disposition`, '#message.attachments.disposition');
        }
        if (a.disposition === 'inline' && !a.content_id) e('The content_id parameter is required when the disposition is inline.', `${f}.content_id`, '#message.attachments.content_id');
      });
  }

  // misc
  checkStringMap(body.custom_args, 'custom_args', e);
  checkStringMap(body.headers, 'headers', e);
  if (body.categories !== undefined) {
    if (!Array.isArray(body.categories)) e('Invalid type. Expected: array.', 'categories');
    else {
      if (body.categories.length > 10) e('Too many categories. A maximum of 10 categories may be applied to a message.', 'categories', '#message.categories');
      body.categories.forEach((c: any, i: number) => {
        if (typeof c !== 'string') e('Invalid type. Expected: string.', `categories.${i}`);
        else if (c.length > 255) e('A category cannot exceed 255 characters.', `categories.${i}`, '#message.categories');
      });
    }
  }
  if (body.send_at !== undefined) checkSendAt(body.send_at, 'send_at', e);
  return errors;
}

function checkStringMap(v: unknown, field: string, e: (m: string, f: string | null, a?: string) => void): void {
  if (v === undefined) return;
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return e('Invalid type. Expected: object.', field);
  for (const [k, val] of Object.entries(v)) {
    if (typeof val !== 'string') e(`Invalid type. Expected: string, given: ${val === null ? 'null' : typeof val}.`, `${field}.${k}`, '#message.custom_args');
  }
  if (field.endsWith('custom_args') && Buffer.byteLength(JSON.stringify(v)) > 10000) {
    e('The custom_args total size must be less than 10000 bytes.', field, '#message.custom_args');
  }
}

function checkSendAt(v: unknown, field: string, e: (m: string, f: string | null, a?: string) => void): void {
  if (typeof v !== 'number' || !Number.isInteger(v)) return e('Invalid type. Expected: integer.', field);
  if (v > Math.floor(Date.now() / 1000) + 72 * 3600) e('The send_at parameter cannot be more than 72 hours in the future.', field, '#message.send_at');
}
