import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { CLOCK, Clock } from '../common/clock';
import { REMINDER_DAYS } from '../common/domain';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config.schema';
import type { Interview } from '../interviews/entities/interview.entity';
import { InterviewHooks, InterviewListener, InviteCheck, InvitationWithToken } from '../interviews/interview.hooks';
import { OutboxMessage } from '../notifications/outbox.entity';
import { OutboxService } from '../notifications/outbox.service';
import { hashToken } from '../interviews/invitation-token';
import { NewOutboxMessage } from '../notifications/outbox.types';
import { planReminder, reminderDaysAfterMove } from './reminder-timing.rules';
import { reminderSkipReason } from './reminder-skip.rules';
import type { Invitation } from '../interviews/entities/invitation.entity';

export const REMINDER_KINDS = ['reminder.email', 'reminder.sms'];

/** Reminders are outbox rows due at 09:00 (REMINDER_TIME in REMINDER_TIMEZONE) N days before; this keeps them in step with the invitations. */
@Injectable()
export class ReminderScheduler implements InterviewListener, OnModuleInit {
  constructor(
    private readonly hooks: InterviewHooks,
    private readonly outbox: OutboxService,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit() {
    this.hooks.register(this);
  }

  private get ruleClock() {
    return { reminderTime: this.config.reminder.time, zone: this.config.reminder.zone };
  }

  validateInvite(check: InviteCheck): Record<string, string> {
    const { option, days } = check.reminder;
    if (option === 'none') return {};
    const errors: Record<string, string> = {};
    if ((option === 'sms' || option === 'sms_email') && !check.recruiter.smsAccess)
      errors.reminder_option = 'SMS reminders are only for recruiters with SMS access. Choose "Email reminder" or "No reminder", or ask an administrator for SMS access.';
    if (days === null || !(REMINDER_DAYS as readonly number[]).includes(days)) {
      errors.reminder_days = `Choose how many days before: ${REMINDER_DAYS.join(', ')}.`;
    } else {
      const plan = planReminder(check.start, days, this.ruleClock, this.clock.now());
      if (!plan.ok) errors.reminder_days = plan.message;
    }
    return errors;
  }

  /**
   * A moved interview keeps the day count chosen for its reminder where it still fits, else the reminder goes the
   * most days before that the new time leaves (see plan()): the team is told, as the invite modal would have told them.
   */
  reminderNoteOnMove(interview: Interview): string | null {
    const { option, days } = interview.reminder;
    if (option === 'none' || days === null) return null;
    const now = this.clock.now();
    const fitting = reminderDaysAfterMove(interview.startsAt, days, this.ruleClock, now);
    if (fitting === days) return null;
    if (fitting === null) {
      const plan = planReminder(interview.startsAt, days, this.ruleClock, now);
      return plan.ok ? null : plan.message;
    }
    return `The reminder now goes ${dayCount(fitting)} before instead of ${dayCount(days)}, the most the new time leaves.`;
  }

  /** The reminder rows for these invitations as the interview stands now. */
  plan(interview: Interview, invitations: InvitationWithToken[]): NewOutboxMessage[] {
    const { option, days } = interview.reminder;
    if (option === 'none' || days === null) return [];
    const now = this.clock.now();
    // As chosen where it fits (always, at the invitation); after a move, the most days the new time leaves.
    const plan = planReminder(interview.startsAt, reminderDaysAfterMove(interview.startsAt, days, this.ruleClock, now) ?? days, this.ruleClock, now);
    const rows: NewOutboxMessage[] = [];
    for (const { invitation, candidate, token } of invitations) {
      const base = { interviewId: interview.id, invitationId: invitation.id, dueAt: plan.ok ? plan.dueAt : now };
      const notPossible = plan.ok ? null : { state: 'skipped' as const, reason: plan.message };
      const forStart = reminderFor(interview);
      if (option === 'email' || option === 'sms_email') rows.push({ ...base, kind: 'reminder.email', channel: 'email', payload: { token, for: forStart }, settled: notPossible ?? undefined });
      if (option === 'sms' || option === 'sms_email') {
        const settled = notPossible ?? (candidate.mobile ? undefined : { state: 'skipped' as const, reason: 'the candidate has no mobile number' });
        rows.push({ ...base, kind: 'reminder.sms', channel: 'sms', payload: { for: forStart }, settled });
      }
    }
    return rows;
  }

  async created(m: EntityManager, e: { interview: Interview; invitations: InvitationWithToken[] }) {
    await this.outbox.enqueue(m, this.plan(e.interview, e.invitations));
  }

  async answered(m: EntityManager, e: Parameters<NonNullable<InterviewListener['answered']>>[1]) {
    const status = e.invitation.status;
    if (status === 'declined' || status === 'withdrawn') {
      await this.outbox.settle(m, { invitationIds: [e.invitation.id], kinds: REMINDER_KINDS }, 'skipped', reminderSkipReason({ ...factsOf(e.interview, e.invitation), channel: 'email' }, this.clock.now())!);
    } else if ((e.previous === 'declined' || e.previous === 'withdrawn') && (status === 'accepted' || status === 'new_time_requested')) {
      await this.outbox.enqueue(m, await this.planAgain(m, e.interview, [{ invitation: e.invitation, candidate: e.candidate, token: e.token }]));
    }
  }

  async rescheduled(m: EntityManager, e: { interview: Interview; invitations: InvitationWithToken[] }) {
    await this.outbox.settle(m, { interviewId: e.interview.id, kinds: REMINDER_KINDS }, 'cancelled', 'moved: the interview was rescheduled');
    await this.outbox.enqueue(m, this.plan(e.interview, e.invitations));
  }

  async cancelled(m: EntityManager, e: { interview: Interview }) {
    await this.outbox.settle(m, { interviewId: e.interview.id, kinds: REMINDER_KINDS }, 'cancelled', 'the interview was cancelled');
  }

  async resent(m: EntityManager, e: { interview: Interview; invitations: InvitationWithToken[] }) {
    await this.outbox.settle(m, { invitationIds: e.invitations.map((i) => i.invitation.id), kinds: REMINDER_KINDS }, 'cancelled', 'replaced: the invitation was sent again with new links');
    await this.outbox.enqueue(m, await this.planAgain(m, e.interview, e.invitations));
  }

  /**
   * Reminders planned again for the same start time (a "no" changed to "yes", a resend): none of a kind already
   * sent for this start time (on the reminder day, "due at once" would send it twice), and an email reminder carries
   * the link the candidate holds now, which a "no" left on its skipped reminder (only its hash is stored elsewhere).
   */
  private async planAgain(m: EntityManager, interview: Interview, invitations: InvitationWithToken[]): Promise<NewOutboxMessage[]> {
    const rows = this.plan(interview, invitations);
    if (!rows.length) return rows;
    const now = this.clock.now();
    // Before the due time of the day count chosen, no reminder for this start can have gone out; a link answer
    // brings the link it came by.
    const days = interview.reminder.days!;
    const asChosen = reminderDaysAfterMove(interview.startsAt, days, this.ruleClock, now) === days;
    const dueNow = rows.some((r) => !r.settled && r.dueAt.getTime() <= now.getTime());
    const linkMissing = rows.some((r) => r.kind === 'reminder.email' && !r.payload.token);
    if (asChosen && !dueNow && !linkMissing) return rows;
    const earlier = await m.getRepository(OutboxMessage).find({
      select: { id: true, kind: true, invitationId: true, state: true, payload: true },
      where: { invitationId: In(invitations.map((i) => i.invitation.id)), kind: In(REMINDER_KINDS) },
      order: { id: 'DESC' },
    });
    const forStart = reminderFor(interview);
    const sent = new Set(earlier.filter((r) => r.state === 'sent' && r.payload?.for === forStart).map((r) => `${r.invitationId}|${r.kind}`));
    const tokenHashes = new Map(invitations.map((i) => [i.invitation.id, i.invitation.tokenHash]));
    const heldToken = (invitationId: number) => {
      const token = earlier.find((r) => r.invitationId === invitationId && typeof r.payload?.token === 'string')?.payload.token as string | undefined;
      return token && hashToken(token) === tokenHashes.get(invitationId) ? token : null;
    };
    return rows
      .filter((r) => !sent.has(`${r.invitationId}|${r.kind}`))
      .map((r) => (r.kind === 'reminder.email' && !r.payload.token ? { ...r, payload: { ...r.payload, token: heldToken(r.invitationId!) } } : r));
  }
}

/** The start time a reminder was planned for: it stays on the row once sent (see ReminderHandlers). */
function reminderFor(interview: Interview): string {
  return interview.startsAt.toISOString();
}

function factsOf(interview: Interview, invitation: Invitation) {
  return { interviewStatus: interview.status, invitationStatus: invitation.status, startsAt: interview.startsAt, mobile: null, optedOut: false };
}

function dayCount(days: number): string {
  return `${days} day${days === 1 ? '' : 's'}`;
}
