import * as path from 'node:path';
import { ROOT, runNode, startApp, dropDatabase } from './support/app';

describe('start-up', () => {
  it.each([
    ['DATABASE_URL', 'nonsense', /DATABASE_URL: must be mysql:\/\/user:pass@host:port\/db or sqlite:<file path>/],
    ['REMINDER_TIMEZONE', 'Mars/Base', /REMINDER_TIMEZONE: must be an IANA time zone/],
    ['REMINDER_TIMEZONE', 'local', /REMINDER_TIMEZONE: must name an IANA time zone such as Europe\/Stockholm; "local"/],
    ['REMINDER_TIMEZONE', 'UTC+5', /REMINDER_TIMEZONE: must be an IANA time zone/],
    ['REMINDER_TIME', '9 am', /REMINDER_TIME: must be HH:mm/],
  ])('exits non-zero naming %s when it is bad', async (name, value, message) => {
    const res = await runNode([path.join(ROOT, 'dist/main.js')], { [name]: value, PORT: '0' });
    expect(res.code).not.toBe(0);
    expect(res.stderr).toMatch(message);
  });

  it('exits naming SENDGRID_WEBHOOK_PUBLIC_KEY when it is not a public key', async () => {
    const res = await runNode([path.join(ROOT, 'dist/main.js')], { SENDGRID_API_KEY: 'SG.key', SENDGRID_WEBHOOK_PUBLIC_KEY: 'bm90LWEta2V5', PORT: '0' });
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/SENDGRID_WEBHOOK_PUBLIC_KEY: must be the Signed Event Webhook's verification key from SendGrid/);
    expect(res.stderr).not.toMatch(/DECODER|asn1|ERR_OSSL/i);
  });

  it('names every bad variable in one message', async () => {
    const res = await runNode([path.join(ROOT, 'dist/main.js')], { DATABASE_URL: 'nonsense', REMINDER_TIMEZONE: 'Mars/Base', SLACK_BOT_TOKEN: 'xoxb-1' });
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/DATABASE_URL/);
    expect(res.stderr).toMatch(/REMINDER_TIMEZONE/);
    expect(res.stderr).toMatch(/SLACK_SIGNING_SECRET: is required/);
  });

  it('starts on embedded defaults and answers /health with 200; 503 when the database is gone', async () => {
    const app = await startApp();
    try {
      const res = await fetch(`${app.url}/health`);
      expect(res.status).toBe(200);
      expect(res.headers.get('x-request-id')).toBeTruthy();
      expect(await res.json()).toEqual({ status: 'ok', database: 'up', instance: app.env.INSTANCE_ID });
    } finally {
      expect(await app.stop()).toBe(0);
      await dropDatabase(app.databaseUrl);
    }
  });
});
