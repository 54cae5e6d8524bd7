import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { TtlCache } from '../common/ttl-cache';
import { DataSource, In } from 'typeorm';
import type { Language } from '../common/domain';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config.schema';
import { defaultTemplates, EmailKind } from '../notifications/email/default-templates';
import { EmailRenderer, RenderInput } from '../notifications/email/email.renderer';
import { planSubstitutions } from '../notifications/email/email-batch';
import { DeliveryError } from '../common/errors';
import { mergeValues } from '../notifications/email/interview-values';
import { compileTemplate, CompiledTemplate, withConfirmLink } from '../notifications/email/merge-tags';
import { buildIcs } from '../notifications/ics/ics.builder';
import { EMAIL_TRANSPORT, EmailTransport, SentReceipt } from '../notifications/transports/transport.types';
import { Candidate } from './entities/candidate.entity';
import { Interview } from './entities/interview.entity';
import { Invitation } from './entities/invitation.entity';
import { Project } from './entities/project.entity';
import { Recruiter } from './entities/recruiter.entity';
import { candidateName } from './interviews.service';
import { findUnique } from '../database/find-unique';

export interface InvitationContext {
  invitation: Invitation;
  interview: Interview;
  candidate: Candidate;
  project: Project;
  recruiterNames: string[];
  senderName: string;
  /** The inviting recruiter's address: where a candidate's reply goes when the mail is sent from a shared address. */
  replyTo: string | null;
}

const CACHE_LIMIT = 500;
const PREFETCH_TTL_MS = 5_000;

/** Builds and sends the emails about one invitation: the template compiled once per interview and language, filled per message. */
@Injectable()
export class InvitationMailer {
  private readonly compiled = new Map<string, CompiledTemplate>();
  private readonly prefetched = new Map<number, { invitation: Invitation; until: number }>();
  /** Makes the substitution keys of batched emails impossible to meet in a template or a name. */
  private readonly nonce = randomBytes(6).toString('hex');
  private readonly peopleCache = new TtlCache<string, { recruiterNames: string[]; senderName: string; replyTo: string | null }>(60_000, CACHE_LIMIT);

  constructor(
    private readonly db: DataSource,
    private readonly renderer: EmailRenderer,
    @Inject(EMAIL_TRANSPORT) private readonly transport: EmailTransport,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async context(invitationId: number): Promise<InvitationContext | null> {
    const pre = this.prefetched.get(invitationId);
    if (pre) {
      this.prefetched.delete(invitationId);
      if (pre.until > Date.now()) return this.contextOf(pre.invitation);
    }
    const invitation = await findUnique(this.db.getRepository(Invitation), { where: { id: invitationId }, relations: { candidate: true, interview: { project: true } } });
    return invitation ? this.contextOf(invitation) : null;
  }

  /**
   * Reads the invitations of a claimed batch with their candidates in one query and their interviews (a batch holds
   * many invitations of few interviews) in another; each is used once by `context()` within a few seconds (the
   * batch is being sent now), after which it is read afresh.
   */
  async prefetch(invitationIds: number[]): Promise<void> {
    const ids = [...new Set(invitationIds)].filter((id) => !this.prefetched.has(id));
    if (!ids.length) return;
    const rows = await this.db.getRepository(Invitation).find({ where: { id: In(ids) }, relations: { candidate: true } });
    const interviewIds = [...new Set(rows.map((r) => r.interviewId))];
    const interviews = interviewIds.length ? await this.db.getRepository(Interview).find({ where: { id: In(interviewIds) }, relations: { project: true } }) : [];
    const byId = new Map(interviews.map((iv) => [iv.id, iv]));
    for (const r of rows) r.interview = byId.get(r.interviewId);
    const until = Date.now() + PREFETCH_TTL_MS;
    if (this.prefetched.size > 10_000) this.prefetched.clear();
    for (const invitation of rows) if (invitation.interview) this.prefetched.set(invitation.id, { invitation, until });
  }

  /** For an invitation loaded with its candidate and its interview's project. */
  async contextOf(invitation: Invitation): Promise<InvitationContext> {
    const interview = invitation.interview!;
    const people = await this.people(interview);
    return { invitation, interview, candidate: invitation.candidate!, project: interview.project!, ...people };
  }

  /** The recruiters' names, read once a minute per interview rather than per message. */
  private async people(interview: Interview): Promise<{ recruiterNames: string[]; senderName: string; replyTo: string | null }> {
    const key = `${interview.id}:${interview.updatedAt.getTime()}`;
    const hit = this.peopleCache.get(key);
    if (hit) return hit;
    const ids = [...new Set([...interview.recruiterIds, interview.createdBy])];
    const recruiters = await this.db.getRepository(Recruiter).findBy({ slackUserId: In(ids) });
    const byId = new Map(recruiters.map((r) => [r.slackUserId, r]));
    const inviter = byId.get(interview.createdBy);
    const value = {
      recruiterNames: interview.recruiterIds.map((id) => byId.get(id)?.name).filter((n): n is string => !!n),
      senderName: inviter?.name ?? interview.project?.title ?? 'Kallelse',
      replyTo: inviter?.email && inviter.email.toLowerCase() !== interview.senderEmail.toLowerCase() ? inviter.email : null,
    };
    return this.peopleCache.set(key, value);
  }

  private compile(key: string, text: string): CompiledTemplate {
    let t = this.compiled.get(key);
    if (!t) {
      if (this.compiled.size >= CACHE_LIMIT) this.compiled.clear();
      t = compileTemplate(text);
      this.compiled.set(key, t);
    }
    return t;
  }

  /** The texts an email of this kind uses for this candidate's language. */
  private texts(ctx: InvitationContext, kind: EmailKind, lang: Language): { subject: string; content: string; signature?: string } {
    const iv = ctx.interview;
    if (kind === 'invitation') {
      const own = iv.templates[lang] ?? iv.templates[ctx.project.defaultLanguage] ?? Object.values(iv.templates)[0] ?? defaultTemplates(lang).invitation;
      return { subject: own.subject, content: withConfirmLink(own.content, iv.confirmLink) };
    }
    if (kind === 'reminder') {
      const d = defaultTemplates(lang).reminder;
      // The recruiter writes one reminder text; a candidate of another language than the project's gets the built-in one.
      const own = iv.reminder.subject.trim() && lang === ctx.project.defaultLanguage;
      return own ? { subject: iv.reminder.subject, content: iv.reminder.content, signature: iv.reminder.signature } : d;
    }
    const d = defaultTemplates(lang)[kind];
    return { subject: d.subject, content: kind === 'reschedule' ? withConfirmLink(d.content, true) : d.content };
  }

  private renderInput(ctx: InvitationContext, kind: EmailKind, token: string | null): RenderInput {
    const { interview: iv, candidate: c } = ctx;
    const lang = c.language;
    const texts = this.texts(ctx, kind, lang);
    const key = `${iv.id}:${iv.updatedAt.getTime()}:${kind}:${lang}`;
    const values = mergeValues(
      { projectTitle: ctx.project.title, type: iv.type, startsAt: iv.startsAt, durationMinutes: iv.durationMinutes, timezone: iv.timezone, location: iv.location, recruiterNames: ctx.recruiterNames, senderName: ctx.senderName },
      { firstName: c.firstName, lastName: c.lastName, language: lang },
      token ? `${this.config.publicBaseUrl}/r/${token}` : null,
    );
    return {
      language: lang,
      kind,
      subject: this.compile(`${key}:s`, texts.subject),
      content: this.compile(`${key}:c`, texts.content),
      signature: texts.signature ? this.compile(`${key}:g`, texts.signature) : undefined,
      values,
    };
  }

  /**
   * Sends emails of one kind, one outcome per item in order (a receipt, or the error for that item). Reminders of one
   * interview and language go as one provider request when the transport can: the same content with each
   * candidate's name and link substituted (checked to equal that candidate's own email). When the provider refuses
   * such a request outright, its emails are sent one by one, so that one bad address fails alone.
   */
  async sendMany(kind: EmailKind, items: { ctx: InvitationContext; token: string | null; outboxId: number }[]): Promise<(SentReceipt | Error)[]> {
    const out: (SentReceipt | Error)[] = new Array(items.length);
    const alone = (i: number) =>
      this.send(items[i].ctx, kind, items[i].token, items[i].outboxId).then(
        (r) => void (out[i] = r),
        (err: Error) => void (out[i] = err),
      );
    const groups = new Map<string, number[]>();
    items.forEach(({ ctx }, i) => {
      const key = `${ctx.interview.id}:${ctx.interview.updatedAt.getTime()}:${ctx.candidate.language}`;
      groups.set(key, [...(groups.get(key) ?? []), i]);
    });
    const batchable = this.transport.sendBatch && kind === 'reminder';
    await Promise.all(
      [...groups.values()].map(async (group) => {
        if (!batchable || group.length < 2) return Promise.all(group.map(alone));
        const inputs = group.map((i) => this.renderInput(items[i].ctx, kind, items[i].token));
        const plan = planSubstitutions((values) => this.renderer.render({ ...inputs[0], values }), inputs.map((x) => x.values), this.nonce);
        const members = plan.members.map((m) => ({ ...m, item: group[m.index] }));
        const single = [...plan.alone.map((k) => group[k]), ...(members.length === 1 ? [members[0].item] : [])];
        const sending: Promise<unknown>[] = single.map(alone);
        if (members.length > 1) {
          const { ctx } = items[members[0].item];
          const recipients = members.map((m) => ({ to: { email: items[m.item].ctx.candidate.email, name: candidateName(items[m.item].ctx.candidate) }, subject: m.subject, substitutions: m.substitutions, outboxId: items[m.item].outboxId }));
          sending.push(
            this.transport.sendBatch!({ from: { email: ctx.interview.senderEmail, name: ctx.senderName }, replyTo: ctx.replyTo ?? undefined, html: plan.html, text: plan.text, recipients }).then(
              (receipts) => members.forEach((m, k) => (out[m.item] = receipts[k])),
              (err: Error) => {
                if (err instanceof DeliveryError && !err.temporary) return Promise.all(members.map((m) => alone(m.item)));
                for (const m of members) out[m.item] = err;
              },
            ),
          );
        }
        await Promise.all(sending);
      }),
    );
    return out;
  }

  async send(ctx: InvitationContext, kind: EmailKind, token: string | null, outboxId: number): Promise<SentReceipt> {
    const { interview: iv, candidate: c, invitation } = ctx;
    const input = this.renderInput(ctx, kind, token);
    const values = input.values;
    const rendered = this.renderer.render(input);
    const attachments =
      kind === 'reminder'
        ? undefined
        : [
            {
              filename: kind === 'cancellation' ? 'cancel.ics' : 'invite.ics',
              type: 'text/calendar',
              content: Buffer.from(
                buildIcs({
                  uid: `invitation-${invitation.id}@${new URL(this.config.publicBaseUrl).hostname}`,
                  sequence: iv.sequence,
                  method: kind === 'cancellation' ? 'CANCEL' : 'REQUEST',
                  startsAt: iv.startsAt,
                  durationMinutes: iv.durationMinutes,
                  title: `${values.interview_type} · ${ctx.project.title}`,
                  // Short on purpose: the email carries the full text, and folding a long text is most of an .ics's cost.
                  description: [`${values.interview_type} · ${ctx.project.title}`, values.recruiters, token ? values.confirmlink : ''].filter(Boolean).join('\n'),
                  location: iv.location,
                  organizer: { name: ctx.senderName, email: iv.senderEmail },
                  attendee: { name: candidateName(c), email: c.email },
                }),
              ).toString('base64'),
            },
          ];
    return this.transport.send({
      to: { email: c.email, name: candidateName(c) },
      from: { email: iv.senderEmail, name: ctx.senderName },
      replyTo: ctx.replyTo ?? undefined,
      subject: rendered.subject,
      html: rendered.html,
      text: rendered.text,
      attachments,
      outboxId,
    });
  }
}
