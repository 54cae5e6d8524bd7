import { SendgridStandin } from '../standins/sendgrid.standin';
import { SlackStandin, SlackStandinOptions } from '../standins/slack.standin';
import { TwilioStandin } from '../standins/twilio.standin';
import { dropDatabase, RunningApp, startApp, waitFor } from './app';
import { signSlackRequest, slackInteractionBody, slashCommandBody } from './signing';
import { stateFromView } from '../../src/slack/views/simulate';

export const SLACK_TOKEN = 'xoxb-test-0000-kallelse';
export const SLACK_SECRET = 'test-signing-secret-8f3a';
export const SENDGRID_KEY = 'SG.test-key';
export const TWILIO_SID = 'AC' + '0'.repeat(31) + '1';
export const TWILIO_TOKEN = 'twilio-test-auth-token';
export const TWILIO_FROM = '+46700000000';

/** The app wired to stand-ins of Slack, SendGrid and Twilio, with helpers that speak to it as Slack and Twilio do. */
export class World {
  private constructor(
    readonly app: RunningApp,
    readonly slack: SlackStandin,
    readonly sendgrid: SendgridStandin,
    readonly twilio: TwilioStandin,
  ) {}

  static async start(env: Record<string, string | undefined> = {}, slackOptions: Partial<SlackStandinOptions> = {}): Promise<World> {
    const slack = await SlackStandin.start({ token: SLACK_TOKEN, ...slackOptions });
    const sendgrid = await SendgridStandin.start({ apiKey: SENDGRID_KEY });
    const twilio = await TwilioStandin.start({ accountSid: TWILIO_SID, authToken: TWILIO_TOKEN, fromNumbers: [TWILIO_FROM] });
    const app = await startApp({
      env: {
        SLACK_BOT_TOKEN: SLACK_TOKEN,
        SLACK_SIGNING_SECRET: SLACK_SECRET,
        SLACK_API_URL: `${slack.url}/api/`,
        SENDGRID_API_KEY: SENDGRID_KEY,
        SENDGRID_API_URL: sendgrid.url,
        TWILIO_ACCOUNT_SID: TWILIO_SID,
        TWILIO_AUTH_TOKEN: TWILIO_TOKEN,
        TWILIO_FROM,
        TWILIO_API_URL: twilio.url,
        EMAIL_FROM: 'jobs@example.com',
        ...env,
      },
    });
    return new World(app, slack, sendgrid, twilio);
  }

  async stop() {
    await this.app.stop();
    await Promise.all([this.slack.close(), this.sendgrid.close(), this.twilio.close()]);
    await dropDatabase(this.app.databaseUrl);
  }

  /** Sets the app's clock (CLOCK=manual). */
  async setClock(iso: string) {
    const res = await this.app.api('PUT', '/api/clock', { now: iso });
    if (res.status !== 200) throw new Error(`clock: ${res.status} ${res.text}`);
  }

  async postSlack(body: string, opts: { secret?: string; timestamp?: number; contentType?: string } = {}) {
    const headers = signSlackRequest(opts.secret ?? SLACK_SECRET, body, opts.timestamp);
    const started = Date.now();
    const res = await fetch(`${this.app.url}/slack/events`, { method: 'POST', headers: { 'content-type': opts.contentType ?? 'application/x-www-form-urlencoded', ...headers }, body });
    const text = await res.text();
    let json: any = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      /* plain text */
    }
    return { status: res.status, text, json, ms: Date.now() - started };
  }

  command(command: string, userId: string, text = '', extra: Record<string, string> = {}) {
    const body = slashCommandBody(this.slack.url, command, userId, text, `trig.${Math.random().toString(36).slice(2)}`, extra);
    return this.postSlack(body);
  }

  interaction(payload: Record<string, unknown>) {
    return this.postSlack(slackInteractionBody({ team: { id: 'T0TEST' }, api_app_id: 'A0TEST', token: 'legacy', ...payload }));
  }

  /** The latest modal the app opened or updated (views.open / views.update / response_action update). */
  lastOpenedView(): any {
    const calls = this.slack.calls.filter((c) => c.ok && (c.method === 'views.open' || c.method === 'views.update'));
    return calls.at(-1)?.response.view;
  }

  async waitForView(callbackId: string, after = 0): Promise<any> {
    return waitFor(() => {
      const calls = this.slack.calls.filter((c) => c.ok && (c.method === 'views.open' || c.method === 'views.update') && c.at >= after);
      const v = calls.map((c) => c.response.view).reverse().find((v: any) => v.callback_id === callbackId);
      return v;
    }, 10_000, `a ${callbackId} view`);
  }

  submit(view: any, userId: string, values: Record<string, unknown>) {
    return this.interaction({ type: 'view_submission', user: { id: userId }, trigger_id: `trig.${Date.now()}`, view: { ...view, state: { values: stateFromView(view, values) } } });
  }

  blockAction(userId: string, action: Record<string, unknown>, extra: Record<string, unknown> = {}) {
    return this.interaction({ type: 'block_actions', user: { id: userId }, trigger_id: `trig.${Math.random().toString(36).slice(2)}`, actions: [{ action_ts: String(Date.now() / 1000), ...action }], ...extra });
  }

  /** Messages the app posted in a channel (not thread replies), newest last. */
  channelMessages(channel: string) {
    return [...this.slack.messages.values()].filter((m) => m.channel === channel && !m.thread_ts);
  }

  threadReplies(channel: string, ts: string) {
    return [...this.slack.messages.values()].filter((m) => m.channel === channel && m.thread_ts === ts);
  }
}
