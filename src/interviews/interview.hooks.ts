import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { InvitationStatus } from '../common/domain';
import type { Candidate } from './entities/candidate.entity';
import type { Interview, ReminderSettings } from './entities/interview.entity';
import type { Invitation } from './entities/invitation.entity';
import type { Project } from './entities/project.entity';
import type { Recruiter } from './entities/recruiter.entity';

export interface InvitationWithToken {
  invitation: Invitation;
  candidate: Candidate;
  /** The raw confirm token, present only where it was just issued. */
  token: string | null;
}

export interface InviteCheck {
  start: Date;
  reminder: ReminderSettings;
  recruiter: Recruiter;
  candidates: Candidate[];
}

export type NoteKind = 'free_text' | 'delivery_failed';

/**
 * What other modules add to the domain's changes, inside the same transaction: reminders reschedule their
 * outbox rows, Slack queues its card and thread posts. The domain itself knows no chat and no reminder rules.
 */
export interface InterviewListener {
  /** Field name → message for each problem this listener sees with an invitation about to be created. */
  validateInvite?(check: InviteCheck): Record<string, string>;
  /** What to tell the team about the reminders of an interview that has just moved (null: nothing to say). */
  reminderNoteOnMove?(interview: Interview): string | null;
  created?(m: EntityManager, e: { interview: Interview; project: Project; invitations: InvitationWithToken[] }): Promise<void>;
  answered?(m: EntityManager, e: { interview: Interview; invitation: Invitation; candidate: Candidate; previous: InvitationStatus; channel: string; raw: string | null; token: string | null }): Promise<void>;
  rescheduled?(m: EntityManager, e: { interview: Interview; invitations: InvitationWithToken[]; by: string; note: string | null }): Promise<void>;
  cancelled?(m: EntityManager, e: { interview: Interview; invitations: InvitationWithToken[]; by: string; notify: boolean }): Promise<void>;
  resent?(m: EntityManager, e: { interview: Interview; invitations: InvitationWithToken[]; by: string }): Promise<void>;
  noted?(m: EntityManager, e: { interview: Interview; invitation: Invitation; candidate: Candidate; kind: NoteKind; text: string }): Promise<void>;
}

type EventName = Exclude<keyof InterviewListener, 'validateInvite' | 'reminderNoteOnMove'>;

@Injectable()
export class InterviewHooks {
  private readonly listeners: InterviewListener[] = [];

  register(listener: InterviewListener): void {
    this.listeners.push(listener);
  }

  validateInvite(check: InviteCheck): Record<string, string> {
    return Object.assign({}, ...this.listeners.map((l) => l.validateInvite?.(check) ?? {}));
  }

  reminderNoteOnMove(interview: Interview): string | null {
    for (const l of this.listeners) {
      const note = l.reminderNoteOnMove?.(interview);
      if (note) return note;
    }
    return null;
  }

  async emit<K extends EventName>(name: K, m: EntityManager, event: Parameters<NonNullable<InterviewListener[K]>>[1]): Promise<void> {
    for (const l of this.listeners) {
      const fn = l[name] as ((m: EntityManager, e: typeof event) => Promise<void>) | undefined;
      if (fn) await fn.call(l, m, event);
    }
  }
}
