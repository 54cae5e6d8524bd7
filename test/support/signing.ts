/**
 * Request-signing helpers for tests, written from the vendors' specs (not from their SDKs; the specs in
 * test/standins/signing.spec.ts cross-check them against the SDKs).
 */
import { createHmac, createPublicKey, generateKeyPairSync, KeyObject, sign, verify } from 'node:crypto';

/**
 * Slack request signing (v0): `v0=` + hex(HMAC-SHA256(signingSecret, `v0:${ts}:${rawBody}`)).
 * `rawBody` must be the exact bytes sent (form-encoded `payload=…` for interactions, JSON for events).
 */
export function signSlackRequest(
  signingSecret: string,
  rawBody: string | Buffer,
  timestampSeconds: number = Math.floor(Date.now() / 1000),
): { 'x-slack-signature': string; 'x-slack-request-timestamp': string } {
  const hmac = createHmac('sha256', signingSecret);
  hmac.update(`v0:${timestampSeconds}:`);
  hmac.update(rawBody);
  return {
    'x-slack-signature': `v0=${hmac.digest('hex')}`,
    'x-slack-request-timestamp': String(timestampSeconds),
  };
}

/** Form body for a Slack interaction (block_actions, view_submission, …): `payload=<url-encoded JSON>`. */
export function slackInteractionBody(payload: unknown): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

/** The form body Slack posts for a slash command, as the test workspace's channel C0HIRING1 sends it. */
export function slashCommandBody(slackUrl: string, command: string, userId: string, text: string, triggerId: string, extra: Record<string, string> = {}): string {
  return new URLSearchParams({
    token: 'legacy',
    team_id: 'T0TEST',
    channel_id: 'C0HIRING1',
    user_id: userId,
    user_name: userId.toLowerCase(),
    command,
    text,
    response_url: `${slackUrl}/response`,
    trigger_id: triggerId,
    ...extra,
  }).toString();
}

/**
 * Twilio webhook signature (X-Twilio-Signature): base64(HMAC-SHA1(authToken, url + Σ sorted(key) + value)).
 * `fullUrl` is the exact URL Twilio was configured with (scheme, host, port if any, path, query).
 * Array values (repeated keys) contribute key+value for each distinct value, values sorted — as Twilio does.
 */
export function signTwilioRequest(authToken: string, fullUrl: string, params: Record<string, string | string[]>): string {
  let data = fullUrl;
  for (const key of Object.keys(params).sort()) {
    const v = params[key];
    const values = Array.isArray(v) ? [...new Set(v)].sort() : [v];
    for (const one of values) data += key + one;
  }
  return createHmac('sha1', authToken).update(Buffer.from(data, 'utf8')).digest('base64');
}

export const SENDGRID_SIGNATURE_HEADER = 'X-Twilio-Email-Event-Webhook-Signature';
export const SENDGRID_TIMESTAMP_HEADER = 'X-Twilio-Email-Event-Webhook-Timestamp';

/**
 * An ECDSA P-256 key pair like the one behind SendGrid's Signed Event Webhook.
 * `publicKeyBase64` is the base64 of the DER SubjectPublicKeyInfo — the string SendGrid shows in its UI
 * (and returns from GET /v3/user/webhooks/event/settings/signed as `public_key`).
 */
export function generateSendgridKeyPair(): { publicKeyBase64: string; privateKey: KeyObject } {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return { publicKeyBase64: publicKey.export({ type: 'spki', format: 'der' }).toString('base64'), privateKey };
}

/**
 * Sign an event-webhook body the way SendGrid does: ECDSA P-256 over SHA-256 of `timestamp + payload`,
 * DER-encoded signature, base64. `payloadString` must be the exact raw body that will be POSTed.
 */
export function signSendgridEvents(
  privateKey: KeyObject,
  payloadString: string,
  timestamp: string | number = Math.floor(Date.now() / 1000),
): { 'X-Twilio-Email-Event-Webhook-Signature': string; 'X-Twilio-Email-Event-Webhook-Timestamp': string } {
  const ts = String(timestamp);
  const signature = sign('sha256', Buffer.from(ts + payloadString, 'utf8'), { key: privateKey, dsaEncoding: 'der' });
  return {
    [SENDGRID_SIGNATURE_HEADER]: signature.toString('base64'),
    [SENDGRID_TIMESTAMP_HEADER]: ts,
  } as { 'X-Twilio-Email-Event-Webhook-Signature': string; 'X-Twilio-Email-Event-Webhook-Timestamp': string };
}

/** Verify a SendGrid event-webhook signature with only the public key string (what the app has). */
export function verifySendgridEvents(publicKeyBase64: string, payloadString: string, signatureBase64: string, timestamp: string): boolean {
  const key = createPublicKey({ key: Buffer.from(publicKeyBase64, 'base64'), format: 'der', type: 'spki' });
  return verify('sha256', Buffer.from(timestamp + payloadString, 'utf8'), { key, dsaEncoding: 'der' }, Buffer.from(signatureBase64, 'base64'));
}
