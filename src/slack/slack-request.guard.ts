import type { NextFunction, Request, Response } from 'express';

interface Interaction {
  type?: string;
  user?: { id?: unknown };
}

const INTERACTIONS_WITH_USER = new Set(['view_submission', 'view_closed', 'block_actions', 'block_suggestion', 'shortcut', 'message_action']);

/**
 * Runs before Bolt on /slack/events with the raw body already read (Bolt takes `req.rawBody` as is and checks the
 * signature itself): an interaction payload that is not JSON, or has no user, is refused with 400 here, because
 * Bolt would fail on it with a 500.
 */
export function slackPayloadGuard(req: Request & { rawBody?: Buffer }, res: Response, next: NextFunction) {
  const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
  req.rawBody = raw;
  const type = String(req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') return next();
  const payload = new URLSearchParams(raw.toString('utf8')).get('payload');
  if (payload === null) return next();
  let parsed: Interaction | null;
  try {
    parsed = JSON.parse(payload) as Interaction | null;
  } catch {
    parsed = null;
  }
  if (!parsed || typeof parsed !== 'object') return res.status(400).json({ error: 'malformed_payload', message: 'The Slack payload is not JSON.' });
  if (INTERACTIONS_WITH_USER.has(String(parsed.type)) && typeof parsed.user?.id !== 'string')
    return res.status(400).json({ error: 'malformed_payload', message: 'The Slack payload has no user.' });
  next();
}
