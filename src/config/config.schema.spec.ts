import { generateKeyPairSync } from 'node:crypto';
import { ConfigError, loadConfig } from './config.schema';

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('loadConfig', () => {
  it('takes an IANA REMINDER_TIMEZONE', () => {
    expect(loadConfig({ REMINDER_TIMEZONE: 'America/New_York' }).reminder.zone).toBe('America/New_York');
  });

  it.each(['local', 'system', 'UTC+5', '+05:00', 'Mars/Base'])('refuses REMINDER_TIMEZONE=%s naming the variable', (zone) => {
    expect(problems({ REMINDER_TIMEZONE: zone })).toEqual([expect.stringMatching(/^REMINDER_TIMEZONE: must (be|name) an IANA time zone such as Europe\/Stockholm/)]);
  });

  describe('SENDGRID_WEBHOOK_PUBLIC_KEY', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const base64 = ec.publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
    const pem = ec.publicKey.export({ type: 'spki', format: 'pem' }) as string;
    const sendgrid = { SENDGRID_API_KEY: 'SG.key' };

    it.each([
      ['base64 as SendGrid shows it', base64],
      ['PEM', pem],
      ['PEM on one line with literal \\n', pem.replace(/\n/g, '\\n')],
    ])('takes %s', (_what, key) => {
      expect(loadConfig({ ...sendgrid, SENDGRID_WEBHOOK_PUBLIC_KEY: key }).sendgridWebhookPublicKey).toBeTruthy();
    });

    it.each([
      ['text', 'not-a-key'],
      ['cut-off base64', base64.slice(0, 40)],
      ['a PEM with a broken body', pem.replace(/[A-Za-z]{8}/, 'AAAAAAAA')],
      ['an RSA public key', generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'der' }).toString('base64')],
      ['a P-384 public key', generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).publicKey.export({ type: 'spki', format: 'der' }).toString('base64')],
      ['the private key', ec.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string],
    ])('refuses %s naming the variable, with or without SENDGRID_API_KEY', (_what, key) => {
      const message = /^SENDGRID_WEBHOOK_PUBLIC_KEY: must be the Signed Event Webhook's verification key from SendGrid/;
      expect(problems({ ...sendgrid, SENDGRID_WEBHOOK_PUBLIC_KEY: key })).toEqual([expect.stringMatching(message)]);
      expect(problems({ SENDGRID_WEBHOOK_PUBLIC_KEY: key })).toEqual([expect.stringMatching(message)]);
    });
  });
});
