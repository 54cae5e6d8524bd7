import { type App, HTTPModuleFunctions, HTTPResponseAck, type Logger, type Receiver, verifySlackRequest } from '@slack/bolt';
import type { Request, Response } from 'express';
import { parse as parseQuery } from 'node:querystring';

const INTERACTIONS_WITH_USER = new Set(['view_submission', 'view_closed', 'block_actions', 'block_suggestion', 'shortcut', 'message_action']);

export type SlackBody = { ok: true; body: Record<string, any> } | { ok: false; message: string };

/**
 * The body of a signed Slack request, parsed once: a form (slash command, or an interaction in `payload=`) or JSON
 * (Events API). An interaction that is not a JSON object, or that lacks the user Bolt's listeners rely on, is refused.
 */
export function parseSlackBody(raw: string, contentType: string | undefined): SlackBody {
  const media = String(contentType ?? '')
    .split(';')[0]
    .trim()
    .toLowerCase();
  if (media === 'application/x-www-form-urlencoded') {
    const form = parseQuery(raw);
    if (form.payload === undefined) return { ok: true, body: form };
    if (typeof form.payload !== 'string') return { ok: false, message: 'The Slack payload is given more than once.' };
    const payload = parseJson(form.payload);
    if (!payload) return { ok: false, message: 'The Slack payload is not JSON.' };
    if (INTERACTIONS_WITH_USER.has(String(payload.type)) && typeof (payload.user as { id?: unknown } | undefined)?.id !== 'string')
      return { ok: false, message: 'The Slack payload has no user.' };
    return { ok: true, body: payload };
  }
  if (media === 'application/json') {
    const body = parseJson(raw);
    return body ? { ok: true, body } : { ok: false, message: 'The Slack request body is not a JSON object.' };
  }
  return { ok: false, message: `Slack sends forms or JSON, not ${media || 'a body without a content type'}.` };
}

function parseJson(text: string): Record<string, any> | null {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, any>) : null;
  } catch {
    return null;
  }
}

/**
 * Bolt's receiver for POST /slack/events inside the Nest app: checks the signature with Bolt's own verifier, parses
 * the body once and hands it to Bolt, which acknowledges through Bolt's HTTPResponseAck (its 3-second no-ack rule
 * included). Express has already read the raw body (with its size limit) into `req.body`.
 */
export class SlackHttpReceiver implements Receiver {
  private app?: App;
  private logger?: Logger;

  /** signingSecret null: Slack is not configured and local mode is off, so no request can be genuine. */
  constructor(private readonly signingSecret: string | null) {}

  init(app: App): void {
    this.app = app;
    this.logger = app.logger;
  }

  start(): Promise<void> {
    return Promise.resolve();
  }

  stop(): Promise<void> {
    return Promise.resolve();
  }

  readonly handle = (req: Request, res: Response): void => {
    this.dispatch(req, res).catch((err: unknown) => {
      this.logger?.error(`Slack request failed: ${(err as Error)?.message ?? String(err)}`);
      if (!res.headersSent) res.status(500).end();
    });
  };

  private async dispatch(req: Request, res: Response): Promise<void> {
    if (!this.signingSecret) {
      res.status(403).json({ error: 'slack_not_configured', message: 'Slack is not configured here (SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET): no Slack request is taken.' });
      return;
    }
    const raw = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
    const signature = req.headers['x-slack-signature'];
    const timestamp = req.headers['x-slack-request-timestamp'];
    if (typeof signature !== 'string' || typeof timestamp !== 'string') {
      res.status(401).json({ error: 'invalid_signature', message: 'The request is not signed by Slack.' });
      return;
    }
    // Bolt's verifier refuses old timestamps only; Slack's rule is five minutes either way.
    if (Number(timestamp) > Date.now() / 1000 + 300) {
      res.status(401).json({ error: 'invalid_signature', message: 'The Slack request timestamp is in the future.' });
      return;
    }
    try {
      verifySlackRequest({ signingSecret: this.signingSecret, body: raw, headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': Number(timestamp) } });
    } catch (err) {
      this.logger?.warn(`Slack request refused: ${(err as Error).message}`);
      res.status(401).json({ error: 'invalid_signature', message: 'The Slack signature or timestamp does not match.' });
      return;
    }
    const parsed = parseSlackBody(raw, req.headers['content-type']);
    if (!parsed.ok) {
      res.status(400).json({ error: 'malformed_payload', message: parsed.message });
      return;
    }
    const body = parsed.body;
    if (body.ssl_check) {
      res.status(200).end();
      return;
    }
    if (body.type === 'url_verification') {
      res.json({ challenge: body.challenge });
      return;
    }
    const ack = new HTTPResponseAck({ logger: this.logger!, processBeforeResponse: false, httpRequest: req, httpRequestBody: body, httpResponse: res });
    try {
      await this.app!.processEvent({
        body,
        ack: ack.bind(),
        retryNum: HTTPModuleFunctions.extractRetryNumFromHTTPRequest(req),
        retryReason: HTTPModuleFunctions.extractRetryReasonFromHTTPRequest(req),
      });
    } catch (error) {
      await HTTPModuleFunctions.defaultProcessEventErrorHandler({ error: error as Error, logger: this.logger!, request: req, response: res, storedResponse: undefined });
    }
  }
}
