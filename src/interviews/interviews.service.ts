import { Inject, Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { DataSource, EntityManager, In, MoreThan } from 'typeorm';
import { CLOCK, Clock } from '../common/clock';
import { ANSWER_STATUS, InvitationStatus, Language, LANGUAGE_NAMES_EN } from '../common/domain';
import { NotFound, ValidationFailed } from '../common/errors';
import { wallTime } from '../common/wall-time';
import { defaultTemplates } from '../notifications/email/default-templates';
import { compileTemplate, confirmLinkDefault, UnknownMergeTagError } from '../notifications/email/merge-tags';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config.schema';
import type { InviteInput } from './directory.inputs';
import { DirectoryService } from './directory.service';
import { OutboxMessage } from '../notifications/outbox.entity';
import { OutboxService } from '../notifications/outbox.service';
import { Application } from './entities/application.entity';
import { Candidate } from './entities/candidate.entity';
import { Interview } from './entities/interview.entity';
import { InvitationEvent } from './entities/invitation-event.entity';
import { Invitation } from './entities/invitation.entity';
import { Project } from './entities/project.entity';
import { batch, batches, deferRead, deferWrite, guardedWrite, guardStatement, SqlRef, Statement, transaction, transactionWithRetry, WriteConflict } from '../database/transaction';
import { AnswerCommand, AnswerOutcome, AnswerTarget, InviteCommand } from './interview.commands';
import { InterviewHooks, InvitationWithToken, NoteKind } from './interview.hooks';
import { hashToken, newConfirmToken, newSmsRef } from './invitation-token';
import { findUnique } from '../database/find-unique';
import { dbDate } from '../database/db-date';
import { BatchedSelect } from '../database/batched-select';
import { forceIndexOnMysql } from '../database/index-hint';

const OPEN: InvitationStatus[] = ['pending', 'accepted', 'new_time_requested'];
/** What a candidate can still change until the interview starts: a "no" too, but not a withdrawal. */
const ANSWERABLE: InvitationStatus[] = [...OPEN, 'declined'];

/**
 * The interview's columns but its email templates: kilobytes of JSON per row that only the invitation mailer reads
 * (from its own query), and that the answer path would otherwise fetch and parse on every answer. An interview
 * read with these has `templates` undefined.
 */
function interviewColumnsButTemplates(db: DataSource, alias: string): string[] {
  return db
    .getMetadata(Interview)
    .columns.filter((c) => c.propertyName !== 'templates')
    .map((c) => `${alias}.${c.propertyPath}`);
}

/** The hot reads of candidates' answers (see BatchedSelect, PreparedSelect). By token hash. */
const BY_TOKEN = new BatchedSelect<Invitation>(
  (db, hashes) =>
    db
      .getRepository(Invitation)
      .createQueryBuilder('i')
      .leftJoinAndSelect('i.candidate', 'c')
      .leftJoin('i.interview', 'iv')
      .addSelect(interviewColumnsButTemplates(db, 'iv'))
      .leftJoinAndSelect('iv.project', 'p')
      .where('i.tokenHash IN (:...hashes)', { hashes }),
  (i) => i.tokenHash,
);
/** A phone number's candidates (a person can be a candidate of several projects). */
const CANDIDATES_BY_MOBILE = new BatchedSelect<Candidate>(
  (db, mobiles) => db.getRepository(Candidate).createQueryBuilder('c').where('c.mobile IN (:...mobiles)', { mobiles }),
  (c) => c.mobile,
);

/**
 * Open invitations by candidate id; parameter: now. By ids rather than joined from the mobile: MariaDB plans a join
 * with the figures it read when it opened the table, and a table opened empty (a new database that then filled
 * up) had it scan every invitation for every batch of SMS until they were refreshed. A list of ids is planned from
 * the index itself, and the hint keeps the scan out whatever the figures say.
 */
const OPEN_BY_CANDIDATE = new BatchedSelect<Invitation>(
  (db, candidateIds) =>
    db
      .getRepository(Invitation)
      .createQueryBuilder('i')
      .innerJoinAndSelect('i.candidate', 'c')
      .innerJoin('i.interview', 'iv')
      .addSelect(interviewColumnsButTemplates(db, 'iv'))
      .where('i.candidateId IN (:...candidateIds)', { candidateIds })
      .andWhere(`i.status IN (${ANSWERABLE.map((st) => `'${st}'`).join(', ')})`)
      .andWhere("iv.status = 'scheduled'")
      .andWhere('iv.startsAt > :now', { now: new Date(0) }),
  (i) => String(i.candidateId),
  // The index of invitations (candidateId).
  forceIndexOnMysql('`invitations` `i`', 'IDX_9a7726fb24d1c93f041aee1fe5'),
);
export const INVITATION_EMAIL_KINDS = ['email.invitation', 'email.cancellation'];

/** An answer judged on what was read, to be recorded if the invitation is still as read. */
interface PendingAnswer {
  cmd: AnswerCommand;
  target: AnswerTarget;
  previous: InvitationStatus;
  changes: { status: InvitationStatus; answeredAt: Date; answerChannel: string; answerNote: string | null; updatedAt: Date };
}

/** Interviews, invitations, their statuses and history: every change in one transaction with its side effects. */
@Injectable()
export class InterviewsService {
  constructor(
    private readonly db: DataSource,
    private readonly outbox: OutboxService,
    private readonly hooks: InterviewHooks,
    private readonly directory: DirectoryService,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** An invitation from the admin API: defaults filled as the modal fills them (inviter as recruiter, the project's templates). */
  async inviteFromApi(input: InviteInput): Promise<{ interview: Interview; invitations: Invitation[] }> {
    const project = await this.db.getRepository(Project).findOneBy({ id: input.projectId });
    if (!project) throw new NotFound(`Project ${input.projectId}`);
    const candidates = await this.db.getRepository(Application).find({ where: { id: In(input.applicationIds) }, relations: { candidate: true } });
    const languages = [...new Set(candidates.map((a) => a.candidate!.language))];
    const templates = { ...Object.fromEntries(languages.map((l) => [l, defaultTemplates(l).invitation])), ...input.templates };
    const reminderDefaults = defaultTemplates(project.defaultLanguage).reminder;
    const invite = this.invite({
      projectId: input.projectId,
      applicationIds: input.applicationIds,
      type: input.type,
      date: input.date,
      time: input.time,
      durationMinutes: input.durationMinutes,
      location: input.location ?? null,
      recruiterIds: input.recruiterIds ?? [input.createdBy],
      createdBy: input.createdBy,
      via: 'api',
      sendEmail: input.sendEmail,
      senderEmail: input.senderEmail ?? project.senderEmail ?? this.config.emailFrom,
      templates,
      confirmLink: input.confirmLink ?? confirmLinkDefault(Object.values(templates).map((t) => t!.content)),
      reminder: {
        option: input.reminder.option,
        days: input.reminder.days ?? null,
        subject: input.reminder.subject ?? reminderDefaults.subject,
        content: input.reminder.content ?? reminderDefaults.content,
        signature: input.reminder.signature ?? reminderDefaults.signature,
      },
    });
    return invite.catch((err: unknown) => {
      throw err instanceof ValidationFailed ? new ValidationFailed(Object.fromEntries(Object.entries(err.fields).map(([k, v]) => [apiField(k), v]))) : err;
    });
  }

  /** Validates an invitation on the server (whatever the UI allowed) and stores it with all its side effects. */
  async invite(cmd: InviteCommand): Promise<{ interview: Interview; invitations: Invitation[] }> {
    try {
      return await this.inviteWith(cmd, true);
    } catch (err) {
      // The snapshot's guard is the only one an invitation has: a WriteConflict says the same as StaleSnapshot.
      if (!(err instanceof StaleSnapshot || err instanceof WriteConflict)) throw err;
      return this.inviteWith(cmd, false);
    }
  }

  /**
   * With `shown`, the applications the modal showed stand in for a read before the transaction; the transaction
   * checks them against the rows and fails with StaleSnapshot or WriteConflict (nothing stored) if any has changed.
   */
  private async inviteWith(cmd: InviteCommand, shown: boolean): Promise<{ interview: Interview; invitations: Invitation[] }> {
    const errors: Record<string, string> = {};
    const ids = [...new Set(cmd.applicationIds)];
    const snapshot = shown && ids.length ? this.directory.shownApplications(cmd.projectId, ids) : null;
    const [recruiter, project, apps] = await Promise.all([
      this.directory.findRecruiter(cmd.createdBy),
      this.directory.findProject(cmd.projectId),
      snapshot
        ? Promise.resolve(snapshot)
        : ids.length && Number.isSafeInteger(cmd.projectId)
          ? this.db.getRepository(Application).find({ where: { id: In(ids), projectId: cmd.projectId }, relations: { candidate: true } })
          : Promise.resolve([]),
    ]);
    if (!recruiter) throw new ValidationFailed({ createdBy: 'Only registered recruiters can invite candidates.' });
    if (!project) throw new ValidationFailed({ project: 'Choose a project.' });

    if (ids.length === 0) errors.candidates = 'Choose at least one candidate.';
    else if (apps.length !== ids.length) errors.candidates = 'Some of the chosen candidates do not belong to this project.';
    const withdrawn = apps.filter((a) => a.status === 'withdrawn');
    if (withdrawn.length) errors.candidates = `${names(withdrawn.map((a) => a.candidate!))} withdrew their application.`;

    const when = wallTime(cmd.date, cmd.time, project.timezone);
    if (!when.ok) errors[when.field] = when.message;
    else if (when.start.toJSDate() <= this.clock.now()) errors.time = `That time has passed (it is now ${DateTime.fromJSDate(this.clock.now()).setZone(project.timezone).toFormat('d LLL HH:mm')} in ${project.timezone}).`;
    if (!Number.isInteger(cmd.durationMinutes) || cmd.durationMinutes < 5 || cmd.durationMinutes > 600) errors.duration = 'Choose a duration between 5 minutes and 10 hours.';
    if (cmd.recruiterIds.length === 0) errors.recruiters = 'Choose at least one participating recruiter.';

    const languages = [...new Set(apps.map((a) => a.candidate!.language))] as Language[];
    if (cmd.sendEmail) {
      for (const lang of languages) {
        const t = cmd.templates[lang];
        if (!t) {
          // The candidates' language changed after the templates were chosen (the modal shows one per language).
          const who = apps.filter((a) => a.candidate!.language === lang).map((a) => a.candidate!);
          errors.candidates = `${errors.candidates ? `${errors.candidates} ` : ''}${names(who)} now ${who.length === 1 ? 'reads' : 'read'} ${LANGUAGE_NAMES_EN[lang]}, and there is no ${LANGUAGE_NAMES_EN[lang]} invitation.`;
          continue;
        }
        if (!t.subject.trim()) errors[`subject_${lang}`] = 'Write a subject.';
        if (!t.content.trim()) errors[`content_${lang}`] = 'Write the content.';
      }
    }
    for (const [lang, t] of Object.entries(cmd.templates)) {
      checkTags(errors, `subject_${lang}`, t?.subject);
      checkTags(errors, `content_${lang}`, t?.content);
    }
    if (cmd.reminder.option !== 'none') {
      checkTags(errors, 'reminder_subject', cmd.reminder.subject);
      checkTags(errors, 'reminder_content', cmd.reminder.content);
      checkTags(errors, 'reminder_signature', cmd.reminder.signature);
    }
    if (when.ok && !errors.time) Object.assign(errors, this.hooks.validateInvite({ start: when.start.toJSDate(), reminder: cmd.reminder, recruiter, candidates: apps.map((a) => a.candidate!) }));
    if (!when.ok || Object.keys(errors).length) throw new ValidationFailed(errors);
    const start = when.start;

    const now = this.clock.now();
    let settleIds = () => {};
    const result = await transactionWithRetry(this.db, async (m) => {
      const interview = m.getRepository(Interview).create({
        projectId: project.id,
        type: cmd.type,
        startsAt: start.toJSDate(),
        durationMinutes: cmd.durationMinutes,
        timezone: project.timezone,
        location: cmd.location?.trim() || null,
        createdBy: cmd.createdBy,
        recruiterIds: [...new Set(cmd.recruiterIds)],
        sendEmail: cmd.sendEmail,
        confirmLink: cmd.confirmLink,
        senderEmail: cmd.senderEmail,
        templates: cmd.templates,
        reminder: cmd.reminder,
        status: 'scheduled',
        sequence: 0,
        slackChannel: null,
        slackTs: null,
        createdAt: now,
        updatedAt: now,
      });
      const issued: InvitationWithToken[] = apps.map((a) => {
        const token = newConfirmToken();
        const invitation = m.getRepository(Invitation).create({
          applicationId: a.id,
          candidateId: a.candidateId,
          status: 'pending',
          tokenHash: hashToken(token),
          ref: newSmsRef(),
          answeredAt: null,
          answerChannel: null,
          answerNote: null,
          createdAt: now,
          updatedAt: now,
        });
        return { invitation, candidate: a.candidate!, token };
      });
      settleIds = await insertInterview(m, interview, issued.map((i) => i.invitation), snapshot);
      await deferWrite(m, `UPDATE applications SET status = 'invited', updatedAt = ? WHERE id IN (${apps.map(() => '?').join(', ')})`, [dbDate(this.db, now), ...apps.map((a) => a.id)]);
      await this.history(m, issued.map((i) => i.invitation), cmd.createdBy, cmd.sendEmail ? 'invited' : 'invited_without_email', cmd.via ?? 'slack', null);
      if (cmd.sendEmail) await this.queueInvitationEmails(m, interview, issued, 'invitation');
      await this.hooks.emit('created', m, { interview, project, invitations: issued });
      return { interview, invitations: issued.map((i) => i.invitation) };
    }, undefined, { groupCommit: false });
    settleIds();
    return result;
  }

  private async queueInvitationEmails(m: EntityManager, interview: Interview, issued: InvitationWithToken[], variant: 'invitation' | 'reschedule' | 'resend' | 'cancellation') {
    await this.outbox.enqueue(
      m,
      issued.map(({ invitation, token }) => ({
        kind: variant === 'cancellation' ? 'email.cancellation' : 'email.invitation',
        channel: 'email' as const,
        interviewId: interview.id,
        invitationId: invitation.id,
        dueAt: this.clock.now(),
        payload: { token, variant, sequence: interview.sequence },
      })),
    );
  }

  /** History rows: written with the commit (nothing in the transaction reads them back). */
  private async history(m: EntityManager, invitations: Invitation[], actor: string, action: string, channel: string, raw: string | null) {
    const at = dbDate(this.db, this.clock.now());
    const text = raw?.slice(0, 1600) ?? null;
    for (let i = 0; i < invitations.length; i += 200) {
      const chunk = invitations.slice(i, i + 200);
      await deferWrite(
        m,
        `INSERT INTO invitation_events (invitationId, at, actor, action, channel, raw) VALUES ${chunk.map(() => '(?, ?, ?, ?, ?, ?)').join(', ')}`,
        chunk.flatMap((inv) => [inv.id, at, actor, action, channel, text]),
      );
    }
  }

  /**
   * One service applies an answer for both channels (link and SMS). Repeating an answer changes nothing.
   * The invitation is updated only if it is still as it was read (status and link), so a concurrent change
   * (another answer, a reschedule, a cancel) is never overwritten: the answer is then judged again on fresh state.
   */
  async applyAnswer(cmd: AnswerCommand, known?: AnswerTarget): Promise<AnswerOutcome> {
    for (let attempt = 0; ; attempt++) {
      const target = attempt === 0 && known ? known : await this.answerTarget(cmd.invitationId);
      const { invitation, interview } = target;
      if (invitation.status === 'withdrawn') return { kind: 'refused', reason: 'withdrawn' };
      if (interview.status === 'cancelled' || invitation.status === 'cancelled') return { kind: 'refused', reason: 'cancelled' };
      if (interview.startsAt <= this.clock.now()) return { kind: 'refused', reason: 'interview_started' };
      const status = ANSWER_STATUS[cmd.answer];
      if (invitation.status === status) return { kind: 'unchanged', status };
      const now = this.clock.now();
      const changes = { status, answeredAt: now, answerChannel: cmd.channel, answerNote: cmd.channel === 'sms' && cmd.raw ? cmd.raw.slice(0, 500) : null, updatedAt: now };
      const recorded = await transactionWithRetry(this.db, (m) => this.recordAnswer(m, { cmd, target, previous: invitation.status, changes })).then(
        () => true,
        (err: unknown) => {
          if (err instanceof WriteConflict) return false;
          throw err;
        },
      );
      if (recorded) return { kind: 'recorded', status };
      if (attempt >= 3) throw new Error(`Invitation ${invitation.id} kept changing while an answer was applied`);
    }
  }

  /** Fails with WriteConflict (nothing written) when the invitation changed since it was read. */
  private async recordAnswer(m: EntityManager, answer: PendingAnswer): Promise<void> {
    const { cmd, target, previous, changes } = answer;
    await this.writeAnswer(m, cmd, target, previous, changes, { token: cmd.token ?? null, sameLink: true });
    if (cmd.answer === 'withdraw') {
      await m.getRepository(Application).update({ id: target.invitation.applicationId }, { status: 'withdrawn', updatedAt: changes.updatedAt });
      await this.withdrawOtherInvitations(m, answer);
    }
    await cmd.alsoIn?.(m);
  }

  /**
   * One invitation's answer, written only if the invitation is still as read (and, with `sameLink`, still on the link
   * it was read with), with its history row and the listeners' work.
   */
  private async writeAnswer(m: EntityManager, cmd: AnswerCommand, target: AnswerTarget, previous: InvitationStatus, changes: PendingAnswer['changes'], o: { token: string | null; sameLink: boolean }) {
    const { invitation, interview, candidate } = target;
    const at = dbDate(this.db, changes.updatedAt);
    const sql = 'UPDATE invitations SET status = ?, answeredAt = ?, answerChannel = ?, answerNote = ?, updatedAt = ? WHERE id = ? AND status = ?';
    const params = [changes.status, at, changes.answerChannel, changes.answerNote, at, invitation.id, previous];
    await guardedWrite(m, o.sameLink ? `${sql} AND tokenHash = ?` : sql, o.sameLink ? [...params, invitation.tokenHash] : params);
    const updated = Object.assign(new Invitation(), invitation, changes);
    delete updated.candidate;
    delete updated.interview;
    await this.history(m, [invitation], 'candidate', `answered_${changes.status}`, cmd.channel, cmd.raw);
    await this.hooks.emit('answered', m, { interview, invitation: updated, candidate, previous, channel: cmd.channel, raw: cmd.raw, token: o.token });
  }

  /**
   * Withdrawing voids the application, not only the invitation answered: its other upcoming interviews lose the
   * candidate too (their reminders stop, their cards and threads say so), and those links take no answer any more.
   */
  private async withdrawOtherInvitations(m: EntityManager, answer: PendingAnswer): Promise<void> {
    const { cmd, target, changes } = answer;
    const others = await m
      .getRepository(Invitation)
      .createQueryBuilder('i')
      .innerJoinAndSelect('i.candidate', 'c')
      .innerJoin('i.interview', 'iv')
      .addSelect(interviewColumnsButTemplates(this.db, 'iv'))
      .where('i.applicationId = :applicationId AND i.id <> :id', { applicationId: target.invitation.applicationId, id: target.invitation.id })
      .andWhere('i.status IN (:...statuses)', { statuses: ANSWERABLE })
      .andWhere("iv.status = 'scheduled' AND iv.startsAt > :now", { now: dbDate(this.db, changes.updatedAt) })
      .orderBy('i.id', 'ASC')
      .getMany();
    for (const other of others) {
      await this.writeAnswer(m, cmd, { invitation: other, interview: other.interview!, candidate: other.candidate! }, other.status, changes, { token: null, sameLink: false });
    }
  }

  private async answerTarget(invitationId: number): Promise<AnswerTarget> {
    const invitation = await findUnique(this.db.getRepository(Invitation), { where: { id: invitationId }, relations: { candidate: true, interview: true } });
    if (!invitation) throw new NotFound(`Invitation ${invitationId}`);
    return { invitation, interview: invitation.interview!, candidate: invitation.candidate! };
  }

  /** Moves the interview: invitations back to pending, new emails with the .ics SEQUENCE raised, reminders moved. */
  async reschedule(interviewId: number, date: string, time: string, durationMinutes: number, by: string): Promise<Interview> {
    const interview = await this.getInterviewEntity(interviewId);
    if (interview.status === 'cancelled') throw new ValidationFailed({ interview: 'This interview was cancelled.' });
    const when = wallTime(date, time, interview.timezone);
    if (!when.ok) throw new ValidationFailed({ [when.field]: when.message });
    const start = when.start;
    if (start.toJSDate() <= this.clock.now()) throw new ValidationFailed({ time: 'That time has passed.' });
    const now = this.clock.now();
    const result = await transaction(this.db, async (m) => {
      interview.startsAt = start.toJSDate();
      interview.durationMinutes = durationMinutes;
      interview.sequence += 1;
      interview.updatedAt = now;
      await m.getRepository(Interview).save(interview);
      const open = await this.reissue(m, interview, ['pending', 'accepted', 'declined', 'new_time_requested']);
      for (const { invitation } of open) invitation.status = 'pending';
      if (open.length) {
        await m.getRepository(Invitation).update({ id: In(open.map((o) => o.invitation.id)) }, { status: 'pending', answeredAt: null, answerChannel: null, answerNote: null, updatedAt: now });
        await this.history(m, open.map((o) => o.invitation), by, 'rescheduled', 'slack', start.toISO());
      }
      await this.outbox.settle(m, { interviewId: interview.id, kinds: INVITATION_EMAIL_KINDS }, 'cancelled', 'replaced by a newer invitation');
      if (interview.sendEmail) await this.queueInvitationEmails(m, interview, open, 'reschedule');
      await this.hooks.emit('rescheduled', m, { interview, invitations: open, by, note: this.hooks.reminderNoteOnMove(interview) });
      return interview;
    });
    return result;
  }

  async cancel(interviewId: number, by: string, notify: boolean): Promise<Interview> {
    const interview = await this.getInterviewEntity(interviewId);
    if (interview.status === 'cancelled') return interview;
    const now = this.clock.now();
    const result = await transaction(this.db, async (m) => {
      interview.status = 'cancelled';
      interview.sequence += 1;
      interview.updatedAt = now;
      await m.getRepository(Interview).save(interview);
      const affected = await this.reissue(m, interview, ['pending', 'accepted', 'declined', 'new_time_requested'], false);
      if (affected.length) {
        await m.getRepository(Invitation).update({ id: In(affected.map((o) => o.invitation.id)) }, { status: 'cancelled', updatedAt: now });
        for (const a of affected) a.invitation.status = 'cancelled';
        await this.history(m, affected.map((o) => o.invitation), by, 'cancelled', 'slack', null);
      }
      await this.outbox.settle(m, { interviewId: interview.id, kinds: INVITATION_EMAIL_KINDS }, 'cancelled', 'interview cancelled');
      if (notify) await this.queueInvitationEmails(m, interview, affected, 'cancellation');
      await this.hooks.emit('cancelled', m, { interview, invitations: affected, by, notify });
      return interview;
    });
    return result;
  }

  /** Sends the invitation email again with fresh links (the old links stop working) to every open invitation. */
  async resend(interviewId: number, by: string): Promise<number> {
    const interview = await this.getInterviewEntity(interviewId);
    if (interview.status === 'cancelled') throw new ValidationFailed({ interview: 'This interview was cancelled.' });
    const count = await transaction(this.db, async (m) => {
      const open = await this.reissue(m, interview, OPEN);
      if (!open.length) return 0;
      await this.history(m, open.map((o) => o.invitation), by, 'resent', 'slack', null);
      await this.outbox.settle(m, { interviewId: interview.id, kinds: ['email.invitation'] }, 'cancelled', 'replaced by a newer invitation');
      await this.queueInvitationEmails(m, interview, open, 'resend');
      await this.hooks.emit('resent', m, { interview, invitations: open, by });
      return open.length;
    });
    return count;
  }

  /** New tokens for the invitations in the given statuses (old links stop working). */
  private async reissue(m: EntityManager, interview: Interview, statuses: InvitationStatus[], newTokens = true): Promise<InvitationWithToken[]> {
    const invitations = await m.getRepository(Invitation).find({ where: { interviewId: interview.id, status: In(statuses) }, relations: { candidate: true }, order: { id: 'ASC' } });
    const now = this.clock.now();
    const out: InvitationWithToken[] = [];
    for (const invitation of invitations) {
      const candidate = invitation.candidate!;
      delete invitation.candidate;
      let token: string | null = null;
      if (newTokens) {
        token = newConfirmToken();
        invitation.tokenHash = hashToken(token);
        invitation.updatedAt = now;
        await m.getRepository(Invitation).update({ id: invitation.id }, { tokenHash: invitation.tokenHash, updatedAt: now });
      }
      out.push({ invitation, candidate, token });
    }
    return out;
  }

  /** Free text from the candidate, or a delivery failure: kept in the history and told to the hiring team. */
  async note(invitationId: number, kind: NoteKind, text: string, channel: string): Promise<void> {
    await transactionWithRetry(this.db, async (m) => {
      const invitation = await m.getRepository(Invitation).findOneByOrFail({ id: invitationId });
      const interview = await m.getRepository(Interview).findOneByOrFail({ id: invitation.interviewId });
      const candidate = await m.getRepository(Candidate).findOneByOrFail({ id: invitation.candidateId });
      await this.history(m, [invitation], kind === 'free_text' ? 'candidate' : 'system', kind, channel, text);
      await this.hooks.emit('noted', m, { interview, invitation, candidate, kind, text });
    });
  }

  async noteIn(m: EntityManager, invitationId: number, kind: NoteKind, text: string, channel: string): Promise<void> {
    const invitation = await m.getRepository(Invitation).findOneByOrFail({ id: invitationId });
    const interview = await m.getRepository(Interview).findOneByOrFail({ id: invitation.interviewId });
    const candidate = await m.getRepository(Candidate).findOneByOrFail({ id: invitation.candidateId });
    await this.history(m, [invitation], kind === 'free_text' ? 'candidate' : 'system', kind, channel, text);
    await this.hooks.emit('noted', m, { interview, invitation, candidate, kind, text });
  }

  async getInterviewEntity(id: number): Promise<Interview> {
    const interview = Number.isSafeInteger(id) ? await this.db.getRepository(Interview).findOneBy({ id }) : null;
    if (!interview) throw new NotFound(`Interview ${id}`);
    return interview;
  }

  /** The invitation a confirm link points to, with its candidate, interview (without its email templates) and project. */
  async findInvitationByToken(token: string): Promise<{ invitation: Invitation; interview: Interview; candidate: Candidate; project: Project } | null> {
    if (!/^[A-Za-z0-9_-]{16,64}$/.test(token)) return null;
    const [invitation] = await BY_TOKEN.load(this.db, hashToken(token));
    if (!invitation) return null;
    return { invitation, interview: invitation.interview!, candidate: invitation.candidate!, project: invitation.interview!.project! };
  }

  /** What a phone number can still answer (a "no" included: it may be changed), earliest upcoming first (two batched reads: the path of every SMS answer). Interviews come without their email templates. */
  async openInvitationsForMobile(mobile: string): Promise<{ invitation: Invitation; interview: Interview; candidate: Candidate }[]> {
    const candidates = await CANDIDATES_BY_MOBILE.load(this.db, mobile);
    const now = () => [dbDate(this.db, this.clock.now())];
    const rows = (await Promise.all(candidates.map((c) => OPEN_BY_CANDIDATE.load(this.db, String(c.id), now)))).flat();
    return rows.map((invitation) => ({ invitation, interview: invitation.interview!, candidate: invitation.candidate! })).sort((a, b) => a.interview.startsAt.getTime() - b.interview.startsAt.getTime());
  }

  /** Who a phone number belongs to (the language of its latest candidate) and what it can still answer (as openInvitationsForMobile), earliest upcoming first. */
  async invitationsForMobile(mobile: string): Promise<{ language: Language; open: { invitation: Invitation; interview: Interview; candidate: Candidate }[] } | null> {
    const candidates = await this.db.getRepository(Candidate).find({ where: { mobile }, order: { id: 'DESC' } });
    if (!candidates.length) return null;
    const invitations = await this.db.getRepository(Invitation).find({
      where: { candidateId: In(candidates.map((c) => c.id)), status: In(ANSWERABLE), interview: { status: 'scheduled', startsAt: MoreThan(this.clock.now()) } },
      relations: { interview: true, candidate: true },
    });
    const open = invitations
      .map((invitation) => ({ invitation, interview: invitation.interview!, candidate: invitation.candidate! }))
      .sort((a, b) => a.interview.startsAt.getTime() - b.interview.startsAt.getTime());
    return { language: candidates[0].language, open };
  }

  async listInterviews(projectId: number) {
    const interviews = await this.db.getRepository(Interview).find({ where: { projectId }, order: { id: 'DESC' } });
    const invitations = interviews.length ? await this.db.getRepository(Invitation).find({ where: { interviewId: In(interviews.map((i) => i.id)) }, relations: { candidate: true } }) : [];
    return interviews.map((iv) => ({
      ...summary(iv),
      invitations: invitations.filter((i) => i.interviewId === iv.id).map((i) => ({ id: i.id, status: i.status, candidate: candidateName(i.candidate!) })),
    }));
  }

  async interviewDetail(id: number) {
    const interview = await this.getInterviewEntity(id);
    const invitations = await this.db.getRepository(Invitation).find({ where: { interviewId: id }, relations: { candidate: true }, order: { id: 'ASC' } });
    const events = invitations.length ? await this.db.getRepository(InvitationEvent).find({ where: { invitationId: In(invitations.map((i) => i.id)) }, order: { id: 'ASC' } }) : [];
    // Sorted here, as in CardService.cardModel: with ORDER BY id MariaDB may walk the whole outbox in id order.
    const messages = (await this.db.getRepository(OutboxMessage).find({ where: { interviewId: id } })).sort((a, b) => a.id - b.id);
    const messageView = (o: OutboxMessage) => ({
      id: o.id,
      kind: o.kind,
      channel: o.channel,
      state: o.state,
      scheduledFor: o.dueAt.toISOString(),
      sentAt: o.sentAt?.toISOString() ?? null,
      attempts: o.attempts,
      reason: o.state === 'skipped' || o.state === 'failed' || o.state === 'cancelled' ? o.lastError : null,
      lastError: o.lastError,
      deliveryStatus: o.deliveryStatus,
      providerMessageId: o.providerMessageId,
    });
    const eventsBy = groupBy(events, (e) => e.invitationId);
    const messagesBy = groupBy(messages, (o) => o.invitationId);
    return {
      ...summary(interview),
      templates: interview.templates,
      confirmLink: interview.confirmLink,
      senderEmail: interview.senderEmail,
      invitations: invitations.map((i) => ({
        id: i.id,
        applicationId: i.applicationId,
        status: i.status,
        ref: i.ref,
        answeredAt: i.answeredAt?.toISOString() ?? null,
        answerChannel: i.answerChannel,
        candidate: { id: i.candidate!.id, name: candidateName(i.candidate!), email: i.candidate!.email, mobile: i.candidate!.mobile, language: i.candidate!.language },
        history: (eventsBy.get(i.id) ?? []).map((e) => ({ at: e.at.toISOString(), actor: e.actor, action: e.action, channel: e.channel, raw: e.raw })),
        reminders: (messagesBy.get(i.id) ?? []).filter((o) => o.kind.startsWith('reminder.')).map(messageView),
        messages: (messagesBy.get(i.id) ?? []).filter((o) => !o.kind.startsWith('reminder.')).map(messageView),
      })),
      reminders: messages.filter((o) => o.kind.startsWith('reminder.')).map((o) => ({ ...messageView(o), invitationId: o.invitationId })),
      slackMessages: messages.filter((o) => o.channel === 'slack').map(messageView),
    };
  }
}

function groupBy<T, K>(items: T[], key: (item: T) => K): Map<K, T[]> {
  const out = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}

function summary(iv: Interview) {
  return {
    id: iv.id,
    projectId: iv.projectId,
    type: iv.type,
    status: iv.status,
    startsAt: iv.startsAt.toISOString(),
    durationMinutes: iv.durationMinutes,
    timezone: iv.timezone,
    location: iv.location,
    recruiterIds: iv.recruiterIds,
    createdBy: iv.createdBy,
    sendEmail: iv.sendEmail,
    sequence: iv.sequence,
    reminder: { option: iv.reminder.option, days: iv.reminder.days },
    slack: iv.slackTs ? { channel: iv.slackChannel, ts: iv.slackTs } : null,
    createdAt: iv.createdAt.toISOString(),
  };
}

export function candidateName(c: Pick<Candidate, 'firstName' | 'lastName'>): string {
  return `${c.firstName} ${c.lastName}`;
}

/** The admin API's name for a field the invite checks name as the Slack modal does (reminder_days → reminder.days). */
function apiField(key: string): string {
  const named: Record<string, string> = { candidates: 'applicationIds', recruiters: 'recruiterIds', duration: 'durationMinutes', project: 'projectId' };
  if (named[key]) return named[key];
  const m = /^(subject|content)_([a-z]{2})$/.exec(key);
  if (m) return `templates.${m[2]}.${m[1]}`;
  return key.startsWith('reminder_') ? `reminder.${key.slice('reminder_'.length)}` : key;
}

function names(cs: Candidate[]): string {
  return cs.map(candidateName).join(', ');
}

function checkTags(errors: Record<string, string>, field: string, text: string | undefined) {
  if (!text) return;
  try {
    compileTemplate(text);
  } catch (err) {
    if (err instanceof UnknownMergeTagError) errors[field] = `Unknown merge tag${err.tags.length > 1 ? 's' : ''} ${err.tags.map((t) => `{${t}}`).join(', ')}. Check the spelling; the tags are listed under the field.`;
    else throw err;
  }
}

const INSERT_CHUNK = 200;

/** The applications of a stored snapshot no longer match the rows. */
class StaleSnapshot extends Error {}

type ApplicationRow = { id: number; projectId: number; status: string; candidateId: number; firstName: string; lastName: string; email: string; mobile: string | null; language: string };

function applicationsCheck(ids: number[]): Statement {
  return {
    sql: `SELECT a.id, a.projectId, a.status, a.candidateId, c.firstName, c.lastName, c.email, c.mobile, c.language FROM applications a JOIN candidates c ON c.id = a.candidateId WHERE a.id IN (${ids.map(() => '?').join(', ')})`,
    params: ids,
  };
}

function sameApplications(snapshot: Application[], rows: ApplicationRow[]): boolean {
  if (rows.length !== snapshot.length) return false;
  const byId = new Map(rows.map((r) => [Number(r.id), r]));
  return snapshot.every((a) => {
    const r = byId.get(a.id);
    const c = a.candidate!;
    return (
      !!r &&
      Number(r.projectId) === a.projectId &&
      r.status === a.status &&
      Number(r.candidateId) === a.candidateId &&
      r.firstName === c.firstName &&
      r.lastName === c.lastName &&
      r.email === c.email &&
      r.mobile === c.mobile &&
      r.language === c.language
    );
  });
}

/** A guard: the snapshot's applications (and their candidates) are still as they were read. */
function unchangedApplications(snapshot: Application[]): Statement {
  const row = '(a.id = ? AND a.projectId = ? AND BINARY a.status = ? AND a.candidateId = ? AND BINARY c.firstName = ? AND BINARY c.lastName = ? AND BINARY c.email = ? AND c.mobile <=> ? AND BINARY c.language = ?)';
  return guardStatement(
    `(SELECT COUNT(*) FROM applications a JOIN candidates c ON c.id = a.candidateId WHERE ${snapshot.map(() => row).join(' OR ')}) = ${snapshot.length}`,
    snapshot.flatMap((a) => {
      const c = a.candidate!;
      return [a.id, a.projectId, a.status, a.candidateId, c.firstName, c.lastName, c.email, c.mobile, c.language];
    }),
  );
}

/** Invitations up to this many go to MariaDB in one round trip with the commit; more in two (see insertInterview). */
const ONE_TRIP_MAX = 50;

/**
 * Inserts the interview and its invitations; fails with StaleSnapshot (or, on MariaDB, WriteConflict at the commit)
 * when `snapshot` no longer matches the rows. Returns what gives the entities their ids once the transaction has
 * committed.
 *
 * On MariaDB in `transaction()`, an invitation of up to ONE_TRIP_MAX candidates (one from Slack, say) sends nothing
 * before the commit: the check, the inserts and every other write share one round trip. Until then `interview.id`
 * and each invitation's `id` are SqlRefs to the rows being inserted, which the other writes take as parameters.
 * A larger one (a bulk invitation) inserts first and learns its ids in that round trip, so that its thousands of
 * other rows carry plain ids rather than a lookup each.
 */
async function insertInterview(m: EntityManager, interview: Interview, invitations: Invitation[], snapshot: Application[] | null): Promise<() => void> {
  if (!batches(m)) {
    if (snapshot) {
      const [current] = await batch(m, [applicationsCheck(snapshot.map((a) => a.id))]);
      if (!sameApplications(snapshot, current as ApplicationRow[])) throw new StaleSnapshot();
    }
    await m.getRepository(Interview).insert(interview);
    for (const inv of invitations) inv.interviewId = interview.id;
    for (let i = 0; i < invitations.length; i += INSERT_CHUNK) await m.getRepository(Invitation).insert(invitations.slice(i, i + INSERT_CHUNK));
    return () => {};
  }
  const statement = ([sql, params]: [string, unknown[]]): Statement => ({ sql, params });
  const inserts: Statement[] = [
    statement(m.createQueryBuilder().insert().into(Interview).values(interview).updateEntity(false).getQueryAndParameters()),
    { sql: 'SET @kallelse_interview = LAST_INSERT_ID()', params: [] },
  ];
  for (let i = 0; i < invitations.length; i += INSERT_CHUNK) {
    const chunk = invitations.slice(i, i + INSERT_CHUNK).map((inv) => ({ ...inv, interviewId: () => '@kallelse_interview' }));
    inserts.push(statement(m.createQueryBuilder().insert().into(Invitation).values(chunk as never).updateEntity(false).getQueryAndParameters()));
  }
  const selectIds = 'SELECT @kallelse_interview AS interviewId, id, applicationId FROM invitations WHERE interviewId = @kallelse_interview';
  type IdRow = { interviewId: number; id: number; applicationId: number };
  const assignIds = (rows: IdRow[]) => {
    const ids = new Map(rows.map((r) => [Number(r.applicationId), Number(r.id)]));
    interview.id = Number(rows[0]?.interviewId);
    for (const inv of invitations) {
      inv.interviewId = interview.id;
      inv.id = ids.get(inv.applicationId)!;
    }
  };

  if (invitations.length > ONE_TRIP_MAX) {
    const check = snapshot ? [applicationsCheck(snapshot.map((a) => a.id))] : [];
    const results = await batch(m, [...check, ...inserts, { sql: selectIds, params: [] }]);
    if (snapshot && !sameApplications(snapshot, results[0] as ApplicationRow[])) throw new StaleSnapshot();
    assignIds(results.at(-1) as IdRow[]);
    return () => {};
  }

  if (snapshot) {
    const guard = unchangedApplications(snapshot);
    await deferWrite(m, guard.sql, guard.params);
  }
  for (const st of inserts) await deferWrite(m, st.sql, st.params);
  const inserted = await deferRead<IdRow>(m, selectIds, []);
  const interviewRef = new SqlRef('@kallelse_interview') as unknown as number;
  interview.id = interviewRef;
  for (const inv of invitations) {
    inv.interviewId = interviewRef;
    inv.id = new SqlRef(`(SELECT id FROM invitations WHERE interviewId = @kallelse_interview AND applicationId = ${Number(inv.applicationId)})`) as unknown as number;
  }
  return () => assignIds(inserted.rows ?? []);
}
