import { ADMIN_TOKEN, dropDatabase, RunningApp, startApp } from './support/app';
import { generateSendgridKeyPair, signSendgridEvents, signSlackRequest, signTwilioRequest } from './support/signing';

jest.setTimeout(60_000);
const LOCAL_SECRET = 'kallelse-local-mode';

async function smsSignedLocally(app: RunningApp) {
  const params = { MessageSid: `SM${'1'.repeat(32)}`, From: '+46700001234', To: '+46700000000', Body: 'WITHDRAW' };
  return fetch(`${app.url}/sms/inbound`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signTwilioRequest(LOCAL_SECRET, `http://localhost:${app.port}/sms/inbound`, params) },
    body: new URLSearchParams(params).toString(),
  });
}

async function slackSignedLocally(app: RunningApp) {
  const body = JSON.stringify({ type: 'url_verification', challenge: 'c-123' });
  return fetch(`${app.url}/slack/events`, { method: 'POST', headers: { 'content-type': 'application/json', ...signSlackRequest(LOCAL_SECRET, body) }, body });
}

async function emailEvents(app: RunningApp, headers: Record<string, string> = {}) {
  return fetch(`${app.url}/email/events`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: '[]' });
}

describe('local mode and its published secret', () => {
  it('with no provider configured: /outbox is open and webhooks signed with the local secret are taken', async () => {
    const app = await startApp();
    try {
      expect((await fetch(`${app.url}/outbox`)).status).toBe(200);
      expect((await fetch(`${app.url}/outbox/messages`)).status).toBe(200);
      expect((await emailEvents(app)).status).toBe(200);
      expect((await smsSignedLocally(app)).status).toBe(200);
      const slack = await slackSignedLocally(app);
      expect(slack.status).toBe(200);
      expect(await slack.json()).toEqual({ challenge: 'c-123' });
    } finally {
      await app.stop();
      await dropDatabase(app.databaseUrl);
    }
  });

  it('once one provider is configured: the local secret opens nothing, and /outbox takes the admin token', async () => {
    const app = await startApp({ env: { SENDGRID_API_KEY: 'SG.only-email-is-configured', SENDGRID_API_URL: 'http://127.0.0.1:9/' } });
    try {
      const sms = await smsSignedLocally(app);
      expect(sms.status).toBe(403);
      expect(await sms.text()).toMatch(/Twilio is not configured/);
      const slack = await slackSignedLocally(app);
      expect(slack.status).toBe(403);
      expect((await slack.json()).message).toMatch(/Slack is not configured/);
      for (const path of ['/outbox', '/outbox/messages']) {
        expect((await fetch(`${app.url}${path}`)).status).toBe(401);
        expect((await fetch(`${app.url}${path}`, { headers: { authorization: 'Bearer wrong-token' } })).status).toBe(401);
        expect((await fetch(`${app.url}${path}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).status).toBe(200);
      }
    } finally {
      await app.stop();
      await dropDatabase(app.databaseUrl);
    }
  });

  it('without SendGrid but with another provider: /email/events takes nothing unsigned; with SENDGRID_WEBHOOK_PUBLIC_KEY only signed batches', async () => {
    const twilioOnly = { TWILIO_ACCOUNT_SID: `AC${'0'.repeat(32)}`, TWILIO_AUTH_TOKEN: 'only-sms-is-configured', TWILIO_FROM: '+46700000000', TWILIO_API_URL: 'http://127.0.0.1:9/' };
    const app = await startApp({ env: twilioOnly });
    try {
      const res = await emailEvents(app);
      expect(res.status).toBe(403);
      expect((await res.json()).message).toMatch(/SendGrid is not configured/);
    } finally {
      await app.stop();
      await dropDatabase(app.databaseUrl);
    }
    const keys = generateSendgridKeyPair();
    const signed = await startApp({ env: { ...twilioOnly, SENDGRID_WEBHOOK_PUBLIC_KEY: keys.publicKeyBase64 } });
    try {
      expect((await emailEvents(signed)).status).toBe(403);
      const ts = String(Math.floor(Date.now() / 1000));
      expect((await emailEvents(signed, signSendgridEvents(keys.privateKey, '[]', ts))).status).toBe(200);
    } finally {
      await signed.stop();
      await dropDatabase(signed.databaseUrl);
    }
  });

  it('once one provider is configured and the admin API is off: /outbox does not exist', async () => {
    const app = await startApp({ env: { SENDGRID_API_KEY: 'SG.only-email-is-configured', SENDGRID_API_URL: 'http://127.0.0.1:9/', ADMIN_API_TOKEN: undefined } });
    try {
      expect((await fetch(`${app.url}/outbox`)).status).toBe(404);
    } finally {
      await app.stop();
      await dropDatabase(app.databaseUrl);
    }
  });
});
