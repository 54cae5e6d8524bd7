/** Labels and date formatting shared by the Slack views. Pure; luxon and the domain only. */
import { DateTime } from 'luxon';
import type { InterviewType, InvitationStatus, Language, ReminderOption } from '../../common/domain';

export const TYPE_LABELS: Record<InterviewType, string> = {
  phone: 'Phone interview',
  in_person: 'In-person interview',
  video: 'Video interview',
  group: 'Group interview',
  info_meeting: 'Information meeting',
};

export const TYPE_EMOJI: Record<InterviewType, string> = {
  phone: '📞',
  in_person: '🤝',
  video: '🎥',
  group: '👥',
  info_meeting: 'ℹ️',
};

export const STATUS_EMOJI: Record<InvitationStatus, string> = {
  pending: '⏳',
  accepted: '✅',
  declined: '❌',
  new_time_requested: '🔁',
  withdrawn: '🚪',
  cancelled: '🚫',
};

/** Words after the candidate's name on the card. */
export const STATUS_WORDS: Record<InvitationStatus, string> = {
  pending: 'awaiting answer',
  accepted: 'accepted',
  declined: 'declined',
  new_time_requested: 'asks for a new time',
  withdrawn: 'withdrew the application',
  cancelled: 'cancelled',
};

/** Native names, as a recruiter sees them on the email sections. */
export const LANGUAGE_NAMES: Record<Language, string> = {
  sv: 'Svenska',
  en: 'English',
  nb: 'Norsk (bokmål)',
  da: 'Dansk',
  fi: 'Suomi',
};


export const REMINDER_LABELS: Record<ReminderOption, string> = {
  none: 'No reminder',
  email: 'Email reminder',
  sms: 'SMS reminder',
  sms_email: 'SMS and email reminder',
};

/** Short form for the card: "SMS + email". */
export const REMINDER_SHORT: Record<ReminderOption, string> = {
  none: 'none',
  email: 'email',
  sms: 'SMS',
  sms_email: 'SMS + email',
};

export const DURATION_CHOICES = [15, 30, 45, 60, 90, 120] as const;
export const DEFAULT_DURATION = 45;
export const DEFAULT_REMINDER_ZONE = 'Europe/Stockholm';

export function durationLabel(minutes: number): string {
  if (minutes < 60) return `${minutes} minutes`;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  const hours = h === 1 ? '1 hour' : `${h} hours`;
  return m === 0 ? hours : `${hours} ${m} minutes`;
}

/** "Europe/Stockholm" → "Stockholm", "America/New_York" → "New York". */
export function cityOfZone(zone: string): string {
  const last = zone.split('/').pop() || zone;
  return last.replace(/_/g, ' ');
}

export function inZone(d: Date, zone: string): DateTime {
  const dt = DateTime.fromJSDate(d, { zone }).setLocale('en-GB');
  return dt.isValid ? dt : DateTime.fromJSDate(d, { zone: 'UTC' }).setLocale('en-GB');
}

const wallFormats = new Map<string, Intl.DateTimeFormat>();

/** `d` on the wall clock of `zone` (UTC when the zone is unknown): a day key, "8 Dec" and "10:00". One cached formatter per zone. */
export function wallClock(d: Date, zone: string): { day: string; date: string; time: string } {
  let f = wallFormats.get(zone);
  if (!f) {
    const opts: Intl.DateTimeFormatOptions = { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };
    try {
      f = new Intl.DateTimeFormat('en-GB', { ...opts, timeZone: zone });
    } catch {
      f = new Intl.DateTimeFormat('en-GB', { ...opts, timeZone: 'UTC' });
    }
    if (wallFormats.size > 500) wallFormats.clear();
    wallFormats.set(zone, f);
  }
  const p: Partial<Record<Intl.DateTimeFormatPartTypes, string>> = {};
  for (const part of f.formatToParts(d)) p[part.type] = part.value;
  return { day: `${p.year}-${p.month}-${p.day}`, date: `${p.day} ${p.month}`, time: `${p.hour}:${p.minute}` };
}

/** "Tue 8 Dec 2026" */
export const fmtDateLong = (dt: DateTime): string => dt.toFormat('ccc d LLL yyyy');
/** "Tue 8 Dec" */
export const fmtDateShort = (dt: DateTime): string => dt.toFormat('ccc d LLL');
/** "10:00" */
export const fmtTime = (dt: DateTime): string => dt.toFormat('HH:mm');

/** Collapse whitespace to single spaces (for one-line display). */
export function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}
