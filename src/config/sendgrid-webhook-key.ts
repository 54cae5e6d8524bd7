import { createPublicKey, KeyObject } from 'node:crypto';

export const SENDGRID_WEBHOOK_KEY_HINT = "must be the Signed Event Webhook's verification key from SendGrid: an ECDSA P-256 public key, in base64 as SendGrid shows it or as PEM";

/**
 * The verification key of SendGrid's Signed Event Webhook: base64 of the DER SubjectPublicKeyInfo (what SendGrid
 * shows) or PEM (also with literal \n, as one line in .env). Throws an Error with SENDGRID_WEBHOOK_KEY_HINT when
 * the text is not such a key (another kind of key, a private key, anything OpenSSL cannot read).
 */
export function sendgridWebhookKey(text: string): KeyObject {
  const trimmed = text.trim().replace(/\\n/g, '\n');
  let key: KeyObject | null = null;
  if (!/PRIVATE KEY/.test(trimmed)) {
    try {
      key = createPublicKey(trimmed.includes('BEGIN') ? trimmed : { key: Buffer.from(trimmed, 'base64'), format: 'der', type: 'spki' });
    } catch {
      key = null;
    }
  }
  if (key?.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') throw new Error(SENDGRID_WEBHOOK_KEY_HINT);
  return key;
}
