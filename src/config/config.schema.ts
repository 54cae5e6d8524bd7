import { z } from 'zod';
import { checkTimeZone } from '../common/time-zone';
import { SENDGRID_WEBHOOK_KEY_HINT, sendgridWebhookKey } from './sendgrid-webhook-key';

/** Every environment variable of SPEC §4, validated once at start-up. Pure: no framework imports. */

const optional = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

const url = (name: string) =>
  optional.refine((v) => v === undefined || /^https?:\/\/[^\s]+$/.test(v), `${name} must be an http(s) URL`);

const zone = optional.superRefine(checkTimeZone);

function isSendgridWebhookKey(text: string): boolean {
  try {
    sendgridWebhookKey(text);
    return true;
  } catch {
    return false;
  }
}

const posInt = (def: number) =>
  optional
    .refine((v) => v === undefined || /^\d+$/.test(v), 'must be a whole number')
    .transform((v) => (v === undefined ? def : Number(v)))
    .refine((v) => v > 0, 'must be greater than 0');

const nonNegInt = (def: number) =>
  optional.refine((v) => v === undefined || /^\d+$/.test(v), 'must be a whole number (0 or more)').transform((v) => (v === undefined ? def : Number(v)));

export const envSchema = z
  .object({
    PORT: optional
      .refine((v) => v === undefined || (/^\d+$/.test(v) && Number(v) < 65536), 'must be a port number (0-65535)')
      .transform((v) => (v === undefined ? 3000 : Number(v))),
    PUBLIC_BASE_URL: url('PUBLIC_BASE_URL'),
    DATABASE_URL: optional.refine(
      (v) => v === undefined || /^sqlite:.+/.test(v) || /^mysql:\/\/[^/\s]+\/[A-Za-z0-9_$-]+(\?.*)?$/.test(v),
      'must be mysql://user:pass@host:port/db or sqlite:<file path>',
    ),
    SLACK_BOT_TOKEN: optional.refine((v) => v === undefined || v.startsWith('xoxb-'), 'must be a bot token starting with xoxb-'),
    SLACK_SIGNING_SECRET: optional,
    SLACK_APP_TOKEN: optional.refine((v) => v === undefined || v.startsWith('xapp-'), 'must be an app-level token starting with xapp-'),
    SLACK_API_URL: url('SLACK_API_URL'),
    TWILIO_ACCOUNT_SID: optional.refine((v) => v === undefined || /^AC[0-9a-fA-F]{32}$/.test(v), 'must look like AC followed by 32 hex characters'),
    TWILIO_AUTH_TOKEN: optional,
    TWILIO_FROM: optional,
    TWILIO_MESSAGING_SERVICE_SID: optional.refine((v) => v === undefined || /^MG[0-9a-fA-F]{32}$/.test(v), 'must look like MG followed by 32 hex characters'),
    TWILIO_API_URL: url('TWILIO_API_URL'),
    SMS_PER_SECOND: posInt(10),
    SENDGRID_API_KEY: optional,
    SENDGRID_API_URL: url('SENDGRID_API_URL'),
    SENDGRID_WEBHOOK_PUBLIC_KEY: optional.refine((v) => v === undefined || isSendgridWebhookKey(v), SENDGRID_WEBHOOK_KEY_HINT),
    EMAIL_FROM: optional.refine((v) => v === undefined || z.email().safeParse(v).success, 'must be an email address'),
    ADMIN_API_TOKEN: optional.refine((v) => v === undefined || v.length >= 16, 'must be at least 16 characters'),
    REMINDER_TIME: optional.refine((v) => v === undefined || /^([01]\d|2[0-3]):[0-5]\d$/.test(v), 'must be HH:mm, e.g. 09:00'),
    REMINDER_TIMEZONE: zone,
    REMINDER_SWEEP_SECONDS: posInt(60),
    DEFAULT_PHONE_REGION: optional.refine((v) => v === undefined || /^[A-Z]{2}$/.test(v), 'must be a two-letter country code such as SE'),
    DISPATCH_BATCH_SIZE: posInt(200),
    DISPATCH_INTERVAL_MS: posInt(500),
    EMAIL_BATCH_SIZE: posInt(1).refine((v) => v <= 1000, 'must be at most 1000 (SendGrid: personalizations per request)'),
    SLACK_UPDATE_WINDOW_MS: nonNegInt(1000),
    SLACK_ANSWER_EDITS_PER_MINUTE: nonNegInt(60),
    LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).optional(),
    CLOCK: z.enum(['system', 'manual']).optional(),
    INSTANCE_ID: optional,
    ROLE: z.enum(['all', 'web', 'worker']).optional(),
  })
  .superRefine((env, ctx) => {
    const slack = [env.SLACK_BOT_TOKEN, env.SLACK_SIGNING_SECRET];
    if (slack.some(Boolean) && !slack.every(Boolean)) {
      ctx.addIssue({ code: 'custom', path: [env.SLACK_BOT_TOKEN ? 'SLACK_SIGNING_SECRET' : 'SLACK_BOT_TOKEN'], message: 'is required when Slack is configured (set both SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET)' });
    }
    if (env.TWILIO_ACCOUNT_SID || env.TWILIO_AUTH_TOKEN) {
      if (!env.TWILIO_ACCOUNT_SID) ctx.addIssue({ code: 'custom', path: ['TWILIO_ACCOUNT_SID'], message: 'is required when TWILIO_AUTH_TOKEN is set' });
      if (!env.TWILIO_AUTH_TOKEN) ctx.addIssue({ code: 'custom', path: ['TWILIO_AUTH_TOKEN'], message: 'is required when TWILIO_ACCOUNT_SID is set' });
      if (!env.TWILIO_FROM && !env.TWILIO_MESSAGING_SERVICE_SID)
        ctx.addIssue({ code: 'custom', path: ['TWILIO_FROM'], message: 'TWILIO_FROM or TWILIO_MESSAGING_SERVICE_SID is required when Twilio is configured' });
    }
  });

export type DatabaseConfig = { type: 'sqlite'; path: string } | { type: 'mysql'; url: string };

export interface AppConfig {
  port: number;
  publicBaseUrl: string;
  database: DatabaseConfig;
  slack: { botToken: string; signingSecret: string; appToken?: string; apiUrl?: string } | null;
  /** Candidates' answers within one window share one card edit and one thread reply per interview (0: each at once). */
  slackUpdateWindowMs: number;
  /** The card edits (with their thread replies) that candidates cause, at most this many a minute per instance after a burst (0: not spread). */
  slackAnswerEditsPerMinute: number;
  twilio: { accountSid: string; authToken: string; from?: string; messagingServiceSid?: string; apiUrl?: string; perSecond: number } | null;
  sendgrid: { apiKey: string; apiUrl?: string } | null;
  /** SendGrid's Signed Event Webhook key: whenever it is set, /email/events takes signed batches only. */
  sendgridWebhookPublicKey: string | null;
  /** No provider configured: everything stays in this app (the /outbox page, webhooks signed with localSigningSecret). */
  localMode: boolean;
  /**
   * Signs the webhooks of local mode; never a secret worth protecting. Null once any provider is configured: a
   * deployment that leaves Slack or Twilio out must not take webhooks signed with a published secret for it.
   */
  localSigningSecret: string | null;
  emailFrom: string;
  adminApiToken: string | null;
  reminder: { time: string; zone: string; sweepSeconds: number };
  defaultPhoneRegion: string;
  /** emailBatchSize: reminder emails of one interview sent as one provider request (1: one request per email). */
  dispatch: { batchSize: number; intervalMs: number; emailBatchSize: number };
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  clock: 'system' | 'manual';
  instanceId: string;
  /** all: serves HTTP and sends; web: serves HTTP only (another process sends); worker: sends (and answers /health). */
  role: 'all' | 'web' | 'worker';
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: Record<string, string | undefined>): AppConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || 'environment'}: ${i.message}`));
  }
  const e = parsed.data;
  const port = e.PORT;
  const dbUrl = e.DATABASE_URL ?? 'sqlite:./data/kallelse.sqlite';
  const database: DatabaseConfig = dbUrl.startsWith('sqlite:') ? { type: 'sqlite', path: dbUrl.slice('sqlite:'.length) } : { type: 'mysql', url: dbUrl };
  const slack = e.SLACK_BOT_TOKEN && e.SLACK_SIGNING_SECRET ? { botToken: e.SLACK_BOT_TOKEN, signingSecret: e.SLACK_SIGNING_SECRET, appToken: e.SLACK_APP_TOKEN, apiUrl: e.SLACK_API_URL } : null;
  const twilio =
    e.TWILIO_ACCOUNT_SID && e.TWILIO_AUTH_TOKEN
      ? { accountSid: e.TWILIO_ACCOUNT_SID, authToken: e.TWILIO_AUTH_TOKEN, from: e.TWILIO_FROM, messagingServiceSid: e.TWILIO_MESSAGING_SERVICE_SID, apiUrl: e.TWILIO_API_URL, perSecond: e.SMS_PER_SECOND }
      : null;
  const sendgrid = e.SENDGRID_API_KEY ? { apiKey: e.SENDGRID_API_KEY, apiUrl: e.SENDGRID_API_URL } : null;
  const localMode = !slack && !twilio && !sendgrid;
  return {
    port,
    publicBaseUrl: (e.PUBLIC_BASE_URL ?? `http://localhost:${port}`).replace(/\/+$/, ''),
    database,
    slackUpdateWindowMs: e.SLACK_UPDATE_WINDOW_MS,
    slackAnswerEditsPerMinute: e.SLACK_ANSWER_EDITS_PER_MINUTE,
    slack,
    twilio,
    sendgrid,
    sendgridWebhookPublicKey: e.SENDGRID_WEBHOOK_PUBLIC_KEY ?? null,
    localMode,
    localSigningSecret: localMode ? 'kallelse-local-mode' : null,
    emailFrom: e.EMAIL_FROM ?? 'kallelse@localhost',
    adminApiToken: e.ADMIN_API_TOKEN ?? null,
    reminder: { time: e.REMINDER_TIME ?? '09:00', zone: e.REMINDER_TIMEZONE ?? 'Europe/Stockholm', sweepSeconds: e.REMINDER_SWEEP_SECONDS },
    defaultPhoneRegion: e.DEFAULT_PHONE_REGION ?? 'SE',
    dispatch: { batchSize: e.DISPATCH_BATCH_SIZE, intervalMs: e.DISPATCH_INTERVAL_MS, emailBatchSize: e.EMAIL_BATCH_SIZE },
    logLevel: e.LOG_LEVEL ?? 'info',
    clock: e.CLOCK ?? 'system',
    instanceId: e.INSTANCE_ID ?? `${process.pid}-${Math.random().toString(36).slice(2, 8)}`,
    role: e.ROLE ?? 'all',
  };
}
