/** Shared vocabulary of the product: status words and enumerations fixed by SPEC §4. Pure; no framework imports. */

export const LANGUAGES = ['sv', 'en', 'nb', 'da', 'fi'] as const;
export type Language = (typeof LANGUAGES)[number];

export const INTERVIEW_TYPES = ['phone', 'in_person', 'video', 'group', 'info_meeting'] as const;
export type InterviewType = (typeof INTERVIEW_TYPES)[number];

export const INVITATION_STATUSES = ['pending', 'accepted', 'declined', 'new_time_requested', 'withdrawn', 'cancelled'] as const;
export type InvitationStatus = (typeof INVITATION_STATUSES)[number];

export const APPLICATION_STATUSES = ['active', 'invited', 'withdrawn'] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];

export const REMINDER_STATES = ['scheduled', 'sent', 'skipped', 'failed', 'cancelled'] as const;
export type ReminderState = (typeof REMINDER_STATES)[number];

export const REMINDER_OPTIONS = ['none', 'email', 'sms', 'sms_email'] as const;
export type ReminderOption = (typeof REMINDER_OPTIONS)[number];

export const REMINDER_DAYS = [1, 2, 3, 5, 7] as const;
export type ReminderDays = (typeof REMINDER_DAYS)[number];

export type Answer = 'yes' | 'no' | 'new_time' | 'withdraw';

export const ANSWER_STATUS: Record<Answer, InvitationStatus> = {
  yes: 'accepted',
  no: 'declined',
  new_time: 'new_time_requested',
  withdraw: 'withdrawn',
};

/** English names, for error messages. */
export const LANGUAGE_NAMES_EN: Record<Language, string> = {
  sv: 'Swedish',
  en: 'English',
  nb: 'Norwegian',
  da: 'Danish',
  fi: 'Finnish',
};

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}
