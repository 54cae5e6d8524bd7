import { createPublicKey, verify } from 'node:crypto';
import { isValidSlackRequest } from '@slack/bolt';
import twilio from 'twilio';
import {
  generateSendgridKeyPair,
  signSendgridEvents,
  signSlackRequest,
  signTwilioRequest,
  slackInteractionBody,
  verifySendgridEvents,
} from '../support/signing';

describe('signing helpers, cross-checked against the vendors\' SDKs', () => {
  it('signSlackRequest matches @slack/bolt isValidSlackRequest', () => {
    const body = slackInteractionBody({ type: 'block_actions', actions: [{ action_id: 'accept', value: 'å 1' }] });
    const now = Math.floor(Date.now() / 1000);
    const h = signSlackRequest('s3cret', body, now);
    expect(h['x-slack-signature']).toMatch(/^v0=[0-9a-f]{64}$/);
    const check = (secret: string, b: string, ts = Number(h['x-slack-request-timestamp'])) =>
      isValidSlackRequest({ signingSecret: secret, body: b, headers: { 'x-slack-signature': h['x-slack-signature'], 'x-slack-request-timestamp': ts } });
    expect(check('s3cret', body)).toBe(true);
    expect(check('other', body)).toBe(false);
    expect(check('s3cret', body + 'x')).toBe(false);
    // Bolt rejects stale timestamps (> 5 min)
    const old = signSlackRequest('s3cret', body, now - 600);
    expect(isValidSlackRequest({ signingSecret: 's3cret', body, headers: { 'x-slack-signature': old['x-slack-signature'], 'x-slack-request-timestamp': now - 600 } })).toBe(false);
  });

  it('signTwilioRequest matches twilio.getExpectedTwilioSignature / validateRequest', () => {
    const url = 'https://app.example.com/webhooks/twilio/status?token=abc';
    const params = { MessageSid: 'SM1', MessageStatus: 'delivered', To: '+46701234567', Body: 'Hej å ä ö' };
    const sig = signTwilioRequest('tok', url, params);
    expect(sig).toBe(twilio.getExpectedTwilioSignature('tok', url, params));
    expect(twilio.validateRequest('tok', sig, url, params)).toBe(true);
    expect(twilio.validateRequest('tok', sig, url, { ...params, To: '+46700000000' })).toBe(false);
    const multi = { MediaUrl: ['b', 'a', 'b'], From: '+1' };
    expect(signTwilioRequest('tok', url, multi)).toBe(twilio.getExpectedTwilioSignature('tok', url, multi as never));
  });

  it('signSendgridEvents verifies with only the public key string (as @sendgrid/eventwebhook would)', () => {
    const { publicKeyBase64, privateKey } = generateSendgridKeyPair();
    const payload = JSON.stringify([{ email: 'a@example.com', event: 'delivered', sg_message_id: 'abc.filter', timestamp: 1700000000 }]) + '\r\n';
    const h = signSendgridEvents(privateKey, payload, 1700000000);
    const sig = h['X-Twilio-Email-Event-Webhook-Signature'];
    const ts = h['X-Twilio-Email-Event-Webhook-Timestamp'];
    expect(ts).toBe('1700000000');
    expect(verifySendgridEvents(publicKeyBase64, payload, sig, ts)).toBe(true);
    expect(verifySendgridEvents(publicKeyBase64, payload.trim(), sig, ts)).toBe(false);
    expect(verifySendgridEvents(publicKeyBase64, payload, sig, '1700000001')).toBe(false);
    // The way @sendgrid/eventwebhook loads the key: PEM-wrap the base64 string.
    const pem = `-----BEGIN PUBLIC KEY-----\n${publicKeyBase64}\n-----END PUBLIC KEY-----`;
    const key = createPublicKey(pem);
    expect(key.asymmetricKeyType).toBe('ec');
    expect(verify('sha256', Buffer.from(ts + payload), key, Buffer.from(sig, 'base64'))).toBe(true);
  });
});
