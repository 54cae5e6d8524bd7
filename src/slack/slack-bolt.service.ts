import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { App, LogLevel } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import express from 'express';
import { DateTime } from 'luxon';
import { CLOCK, Clock } from '../common/clock';
import { Language, LANGUAGES } from '../common/domain';
import { ValidationFailed } from '../common/errors';
import { wallTime } from '../common/wall-time';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config.schema';
import type { Project } from '../interviews/entities/project.entity';
import { DirectoryService } from '../interviews/directory.service';
import { InterviewsService } from '../interviews/interviews.service';
import { defaultTemplates } from '../notifications/email/default-templates';
import { confirmLinkDefault } from '../notifications/email/merge-tags';
import { allowedReminderDays, planReminder } from '../reminders/reminder-timing.rules';
import { CardService } from './card.service';
import { onTheWire } from './slack-api';
import { createSlackFetch } from './slack-fetch';
import { SlackHttpReceiver } from './slack-http.receiver';
import { buildCalendarBlocks, buildCalendarText, buildHomeView } from './views/calendar.view';
import { CALLBACK_IDS, CANCEL_IDS, CARD_ACTION_IDS, RESCHEDULE_IDS, STEP1_IDS, STEP2_IDS } from './views/ids';
import { buildInviteStep1View, buildInviteStep2View, parseStep1, parseStep2, Step1Values } from './views/invite.views';
import { buildCancelView, buildRescheduleView, parseCancel, parseReschedule } from './views/manage.views';

const NOT_A_RECRUITER = 'Kallelse is for the recruiters of this workspace. Ask an administrator to register you as a recruiter to invite candidates.';
/** How long ago /invite may have read the candidates for step 1 to build step 2 from them (storing checks them again). */
const LISTED_FRESH_MS = 2 * 60_000;
const STEP1_FIELDS = new Set(['project', 'candidates', 'date', 'time', 'duration', 'recruiters', 'createdBy', 'type']);

type Ack = (response?: Record<string, unknown>) => Promise<void>;
interface ActionArgs {
  ack: () => Promise<void>;
  body: unknown;
  client: WebClient;
}
type ActionHandler = (args: ActionArgs) => Promise<void>;
interface OptionsBody {
  action_id: string;
  value?: string;
  user: { id: string };
  view?: { private_metadata?: string };
}

/** A pattern that matches exactly these ids. */
function exactly(ids: string[]): RegExp {
  return new RegExp(`^(?:${ids.map((id) => id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})$`);
}
interface ViewBody {
  user?: { id: string };
  view: { id: string; hash?: string; private_metadata: string; state: { values: Record<string, Record<string, any>> } };
}

/** Bolt inside the Nest app: thin handlers that parse, call the domain, and answer Slack well within 3 seconds. */
@Injectable()
export class SlackBoltService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Slack');
  readonly router = express.Router();
  readonly app: App;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly directory: DirectoryService,
    private readonly interviews: InterviewsService,
    private readonly cards: CardService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    const slack = config.slack;
    const slackApiUrl = slack ? slack.apiUrl : `http://127.0.0.1:${config.port}/local-slack/api/`;
    const clientOptions = { slackApiUrl, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true, logLevel: LogLevel.ERROR, fetch: createSlackFetch() };
    // No conversation store: nothing here keeps state per conversation, and Bolt's default one builds an Error for every event it has none for.
    const common = { token: slack?.botToken ?? 'xoxb-local', clientOptions, logLevel: LogLevel.ERROR, tokenVerificationEnabled: false, botId: 'B0KALLELSE', botUserId: 'U0KALLELSE', ignoreSelf: false, convoStore: false as const };
    if (slack?.appToken) {
      this.app = new App({ ...common, appToken: slack.appToken, socketMode: true });
    } else {
      const receiver = new SlackHttpReceiver(slack?.signingSecret ?? config.localSigningSecret);
      this.router.post('/slack/events', receiver.handle);
      this.app = new App({ ...common, receiver });
    }
  }

  get client(): WebClient {
    return this.app.client;
  }

  async onModuleInit() {
    this.register();
    if (this.config.slack?.appToken) await this.app.start();
  }

  async onApplicationShutdown() {
    if (this.config.slack?.appToken) await this.app.stop();
  }

  /** The registered recruiter behind a request, or null (also for a payload without a user). */
  private async recruiter(userId: string | undefined) {
    if (typeof userId !== 'string' || !userId) return null;
    return this.directory.findRecruiter(userId);
  }

  private register() {
    const app = this.app;
    app.error(async (err) => {
      this.logger.error({ msg: 'slack handler failed', error: err.message, stack: err.stack });
    });

    app.command('/invite', async ({ command, ack, client }) => {
      const recruiter = await this.recruiter(command.user_id);
      if (!recruiter) return ack({ response_type: 'ephemeral', text: NOT_A_RECRUITER });
      await ack();
      const projects = await this.directory.listProjects();
      const wanted = command.text.trim().toLowerCase();
      const exact = projects.find((p) => p.title.toLowerCase() === wanted);
      const partial = projects.filter((p) => p.title.toLowerCase().includes(wanted));
      const selected = wanted ? (exact ?? (partial.length === 1 ? partial[0] : null)) : projects.length === 1 ? projects[0] : null;
      await client.views.open(onTheWire({ trigger_id: command.trigger_id, view: (await this.step1View(command.user_id, selected?.id ?? null, undefined, undefined, projects)) as never }));
    });

    app.command('/interviews', async ({ command, ack }) => {
      const recruiter = await this.recruiter(command.user_id);
      if (!recruiter) return ack({ response_type: 'ephemeral', text: NOT_A_RECRUITER });
      const items = await this.cards.calendar(command.user_id);
      await ack({ response_type: 'ephemeral', text: buildCalendarText(items), blocks: buildCalendarBlocks(items, this.clock.now(), { reminderZone: this.config.reminder.zone }) as never });
    });

    app.event('app_home_opened', async ({ event, client }) => {
      if (event.tab && event.tab !== 'home') return;
      const recruiter = await this.recruiter(event.user);
      const items = recruiter ? await this.cards.calendar(event.user) : [];
      const view = recruiter
        ? buildHomeView(items, this.clock.now(), { reminderZone: this.config.reminder.zone })
        : { type: 'home', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: NOT_A_RECRUITER } }] };
      await client.views.publish(onTheWire({ user_id: event.user, view: view as never }));
    });

    // One listener per kind of payload, dispatching on its id: Bolt runs every event through every listener's filters.
    const actions: Record<string, ActionHandler> = {
      [STEP1_IDS.project]: (args) => this.onProjectChosen(args),
      [CARD_ACTION_IDS.reschedule]: (args) => this.onReschedulePressed(args),
      [CARD_ACTION_IDS.cancel]: (args) => this.onCancelPressed(args),
      [CARD_ACTION_IDS.resend]: (args) => this.onResendPressed(args),
    };
    app.action({ action_id: exactly(Object.keys(actions)) }, async (args) => {
      const b = args.body as unknown as { actions: { action_id: string }[] };
      await actions[b.actions[0].action_id](args as unknown as ActionArgs);
    });

    const options: Record<string, (body: OptionsBody) => Promise<{ options: unknown[] }>> = {
      [STEP1_IDS.candidates]: (b) => this.candidateOptions(b),
      [STEP1_IDS.project]: (b) => this.projectOptions(b),
    };
    app.options({ action_id: exactly(Object.keys(options)) }, async ({ ack, body }) => {
      const b = body as unknown as OptionsBody;
      // Bolt's options type names only the legacy 'label' shape; Slack takes Block Kit option objects.
      await ack((await options[b.action_id](b)) as never);
    });

    const views: Record<string, (b: ViewBody, ack: Ack) => Promise<void>> = {
      [CALLBACK_IDS.inviteStep1]: (b, ack) => this.onStep1(b, ack),
      [CALLBACK_IDS.inviteStep2]: (b, ack) => this.onStep2(b, ack),
      [CALLBACK_IDS.reschedule]: (b, ack) => this.onReschedule(b, ack),
      [CALLBACK_IDS.cancelInterview]: (b, ack) => this.onCancel(b, ack),
    };
    app.view({ callback_id: exactly(Object.keys(views)), type: 'view_submission' }, async ({ ack, body }) => {
      const b = body as unknown as ViewBody & { view: { callback_id: string } };
      await views[b.view.callback_id](b, ack as Ack);
    });
  }

  private async onProjectChosen({ ack, body, client }: ActionArgs) {
    await ack();
    const b = body as unknown as ViewBody & { actions: { selected_option?: { value: string } }[] };
    if (!(await this.recruiter(b.user?.id))) return;
    const projectId = Number(b.actions[0]?.selected_option?.value);
    await client.views.update(onTheWire({ view_id: b.view.id, hash: b.view.hash, view: (await this.step1View(b.user!.id, Number.isSafeInteger(projectId) ? projectId : null)) as never }));
  }

  private async candidateOptions(b: OptionsBody) {
    if (!(await this.recruiter(b.user?.id))) return { options: [] };
    const projectId = Number((JSON.parse(b.view?.private_metadata || '{}') as { projectId?: number }).projectId);
    const apps = Number.isSafeInteger(projectId) ? await this.directory.listApplications(projectId) : [];
    const q = (b.value ?? '').toLowerCase();
    const options = apps
      .filter((a) => a.status !== 'withdrawn' && `${a.candidate.firstName} ${a.candidate.lastName}`.toLowerCase().includes(q))
      .slice(0, 100)
      .map((a) => ({ text: { type: 'plain_text' as const, text: `${a.candidate.firstName} ${a.candidate.lastName} · ${a.candidate.language}${a.candidate.mobile ? ' · 📱' : ''}`.slice(0, 75) }, value: String(a.id) }));
    return { options };
  }

  private async projectOptions(b: OptionsBody) {
    if (!(await this.recruiter(b.user?.id))) return { options: [] };
    const q = (b.value ?? '').toLowerCase();
    const options = (await this.directory.listProjects())
      .filter((p) => p.title.toLowerCase().includes(q))
      .slice(0, 100)
      .map((p) => ({ text: { type: 'plain_text' as const, text: p.title.slice(0, 75) }, value: String(p.id) }));
    return { options };
  }

  private async onReschedulePressed({ ack, body, client }: ActionArgs) {
    await ack();
    const b = body as unknown as { user: { id: string }; trigger_id: string; actions: { value: string }[]; channel?: { id: string } };
    if (!(await this.guardAction(b, client))) return;
    const interview = await this.interviews.getInterviewEntity(Number(b.actions[0].value));
    await client.views.open(onTheWire({ trigger_id: b.trigger_id, view: buildRescheduleView({ interviewId: interview.id, startsAt: interview.startsAt, timezone: interview.timezone, durationMinutes: interview.durationMinutes }) as never }));
  }

  private async onCancelPressed({ ack, body, client }: ActionArgs) {
    await ack();
    const b = body as unknown as { user: { id: string }; trigger_id: string; actions: { value: string }[]; channel?: { id: string } };
    if (!(await this.guardAction(b, client))) return;
    const detail = await this.interviews.interviewDetail(Number(b.actions[0].value));
    await client.views.open(onTheWire({ trigger_id: b.trigger_id, view: buildCancelView({ interviewId: detail.id, candidateCount: detail.invitations.length }) as never }));
  }

  private async onResendPressed({ ack, body, client }: ActionArgs) {
    await ack();
    const b = body as unknown as { user: { id: string }; actions: { value: string }[]; channel?: { id: string } };
    if (!(await this.guardAction(b, client))) return;
    let text: string;
    try {
      const n = await this.interviews.resend(Number(b.actions[0].value), b.user!.id);
      text = n ? `📨 The invitation is on its way again to ${n} candidate${n === 1 ? '' : 's'} (with new links; the old ones no longer work).` : 'Nobody to send to: every candidate has declined, withdrawn or been cancelled.';
    } catch (err) {
      if (!(err instanceof ValidationFailed)) throw err;
      text = Object.values(err.fields).join(' ');
    }
    if (b.channel?.id) await client.chat.postEphemeral({ channel: b.channel.id, user: b.user?.id, text });
  }

  private async onReschedule(b: ViewBody, ack: Ack) {
    if (!(await this.recruiter(b.user?.id))) return ack({ response_action: 'errors', errors: { [RESCHEDULE_IDS.date]: NOT_A_RECRUITER } });
    const parsed = parseReschedule(b.view.state.values, b.view.private_metadata);
    if (!parsed.ok) return ack({ response_action: 'errors', errors: parsed.errors });
    try {
      await this.interviews.reschedule(parsed.value.interviewId, parsed.value.date, parsed.value.time, parsed.value.durationMinutes, b.user!.id);
    } catch (err) {
      if (!(err instanceof ValidationFailed)) throw err;
      return ack({ response_action: 'errors', errors: { [err.fields.time ? RESCHEDULE_IDS.time : RESCHEDULE_IDS.date]: Object.values(err.fields).join(' ') } });
    }
    await ack();
  }

  private async onCancel(b: ViewBody, ack: Ack) {
    const parsed = parseCancel(b.view.state.values, b.view.private_metadata);
    if (!(await this.recruiter(b.user?.id)) || !parsed.ok) return ack({ response_action: 'errors', errors: parsed.ok ? { [CANCEL_IDS.notify]: NOT_A_RECRUITER } : parsed.errors });
    await this.interviews.cancel(parsed.value.interviewId, b.user!.id, parsed.value.notifyCandidates);
    await ack();
  }

  private async guardAction(b: { user: { id: string }; channel?: { id: string } }, client: WebClient): Promise<boolean> {
    if (await this.recruiter(b.user?.id)) return true;
    if (b.channel?.id) await client.chat.postEphemeral({ channel: b.channel.id, user: b.user?.id, text: NOT_A_RECRUITER });
    return false;
  }

  private async step1View(userId: string, projectId: number | null, defaults?: Partial<Step1Values>, errors?: Record<string, string>, known?: Project[]) {
    const projects = known ?? (await this.directory.listProjects());
    const project = projects.find((p) => p.id === projectId) ?? null;
    const apps = project ? await this.directory.applicationsOf(project.id) : [];
    return buildInviteStep1View({
      projects: projects.map((p) => ({ id: p.id, title: p.title })),
      selectedProjectId: project?.id ?? null,
      candidates: apps
        .filter((a) => a.status !== 'withdrawn')
        .map((a) => ({ applicationId: a.id, name: `${a.candidate.firstName} ${a.candidate.lastName}`, language: a.candidate.language as Language, hasMobile: !!a.candidate.mobile, status: a.status })),
      inviterUserId: userId,
      projectTimezone: project?.timezone ?? this.config.reminder.zone,
      defaults,
      errors,
    });
  }

  private async onStep1(b: ViewBody, ack: Ack) {
    const recruiter = await this.recruiter(b.user?.id);
    if (!recruiter) return ack({ response_action: 'errors', errors: { [STEP1_IDS.project]: NOT_A_RECRUITER } });
    const parsed = parseStep1(b.view.state.values, b.view.private_metadata);
    if (!parsed.ok) return ack({ response_action: 'errors', errors: parsed.errors });
    const s = parsed.value;
    const project = await this.directory.getProject(s.projectId).catch(() => null);
    if (!project) return ack({ response_action: 'errors', errors: { [STEP1_IDS.project]: 'That project no longer exists.' } });
    const when = wallTime(s.date, s.time, project.timezone);
    if (!when.ok) return ack({ response_action: 'errors', errors: { [when.field === 'time' ? STEP1_IDS.time : STEP1_IDS.date]: when.message } });
    const start = when.start;
    const now = this.clock.now();
    if (start.toJSDate() <= now)
      return ack({ response_action: 'errors', errors: { [STEP1_IDS.time]: `That time has passed: it is now ${DateTime.fromJSDate(now).setZone(project.timezone).toFormat('d LLL HH:mm')} in ${project.timezone}.` } });
    const apps = await this.directory.applicationsById(project.id, s.applicationIds, LISTED_FRESH_MS);
    const languages = LANGUAGES.filter((l) => apps.some((a) => a.candidate.language === l));
    const templates = Object.fromEntries(languages.map((l) => [l, defaultTemplates(l).invitation]));
    const reminderDefaults = defaultTemplates(project.defaultLanguage).reminder;
    const clock = { reminderTime: this.config.reminder.time, zone: this.config.reminder.zone };
    const allowed = allowedReminderDays(start.toJSDate(), clock, now);
    const refusal = planReminder(start.toJSDate(), 7, clock, now);
    await ack({
      response_action: 'update',
      view: buildInviteStep2View({
        step1: s,
        projectTitle: project.title,
        languages,
        senderEmail: project.senderEmail ?? this.config.emailFrom,
        templates,
        reminderDefaults,
        confirmLinkDefault: confirmLinkDefault(languages.map((l) => templates[l].content)),
        smsAccess: recruiter.smsAccess,
        candidatesWithoutMobile: apps.filter((a) => !a.candidate.mobile).map((a) => `${a.candidate.firstName} ${a.candidate.lastName}`),
        allowedReminderDays: allowed,
        reminderDaysMessage: refusal.ok ? null : refusal.message,
      }) as never,
    });
  }

  private async onStep2(b: ViewBody, ack: Ack) {
    if (!(await this.recruiter(b.user?.id))) return ack({ response_action: 'errors', errors: { [STEP2_IDS.action]: NOT_A_RECRUITER } });
    const parsed = parseStep2(b.view.state.values, b.view.private_metadata);
    if (!parsed.ok) return ack({ response_action: 'errors', errors: parsed.errors });
    const { value: v, step1: s } = parsed;
    const blockIds = new Set(Object.keys(b.view.state.values));
    try {
      await this.interviews.invite({
        projectId: s.projectId,
        applicationIds: s.applicationIds,
        type: s.type,
        date: s.date,
        time: s.time,
        durationMinutes: s.durationMinutes,
        location: s.location,
        recruiterIds: s.recruiterIds,
        createdBy: b.user!.id,
        sendEmail: v.sendEmail,
        senderEmail: v.senderEmail,
        templates: v.templates,
        confirmLink: v.confirmLink,
        reminder: { option: v.reminderOption, days: v.reminderOption === 'none' ? null : v.reminderDays, subject: v.reminderSubject, content: v.reminderContent, signature: v.reminderSignature },
      });
    } catch (err) {
      if (err instanceof ValidationFailed) return ack({ response_action: 'errors', errors: toBlockErrors(err.fields, blockIds) });
      this.logger.error({ msg: 'storing an invitation failed', error: (err as Error).message, stack: (err as Error).stack });
      return ack({ response_action: 'errors', errors: { [STEP2_IDS.action]: 'Kallelse could not store the invitation just now; nothing was sent. Press Send again.' } });
    }
    await ack({ response_action: 'clear' });
  }
}

/** Server-side field names → the step-2 blocks they belong to; problems with step-1 answers go on the first block. */
export function toBlockErrors(fields: Record<string, string>, blockIds: Set<string>): Record<string, string> {
  const out: Record<string, string> = {};
  const fallback = blockIds.has(STEP2_IDS.action) ? STEP2_IDS.action : [...blockIds][0];
  for (const [field, message] of Object.entries(fields)) {
    const target = blockIds.has(field) && !STEP1_FIELDS.has(field) ? field : fallback;
    out[target] = out[target] ? `${out[target]} ${message}` : STEP1_FIELDS.has(field) ? `${message} (Close and run /invite again to change it.)` : message;
  }
  return out;
}

