import type { EntityManager } from 'typeorm';
import type { Answer, InterviewType, Language } from '../common/domain';
import type { Candidate } from './entities/candidate.entity';
import type { EmailTemplateText, Interview, ReminderSettings } from './entities/interview.entity';
import type { Invitation } from './entities/invitation.entity';

export interface InviteCommand {
  projectId: number;
  applicationIds: number[];
  type: InterviewType;
  /** yyyy-mm-dd and HH:mm, wall time in the project's time zone */
  date: string;
  time: string;
  durationMinutes: number;
  location: string | null;
  recruiterIds: string[];
  /** Slack user id of the inviting recruiter */
  createdBy: string;
  /** Where the invitation was made, for the history (the invite modal, or the admin API). */
  via?: 'slack' | 'api';
  sendEmail: boolean;
  senderEmail: string;
  templates: Partial<Record<Language, EmailTemplateText>>;
  confirmLink: boolean;
  reminder: ReminderSettings;
}

export interface AnswerCommand {
  invitationId: number;
  answer: Answer;
  channel: 'link' | 'sms';
  raw: string | null;
  /** The confirm link's token, when the answer came by it (reminders planned again carry it). */
  token?: string;
  /** Written in the answer's transaction (e.g. the inbound SMS it came in, so that it counts once). */
  alsoIn?: (m: EntityManager) => Promise<void>;
}

export type AnswerOutcome =
  | { kind: 'recorded' | 'unchanged'; status: string }
  | { kind: 'refused'; reason: 'withdrawn' | 'interview_started' | 'cancelled' };

/** What an answer is judged on, as read before applying it. */
export interface AnswerTarget {
  invitation: Invitation;
  interview: Interview;
  candidate: Candidate;
}
