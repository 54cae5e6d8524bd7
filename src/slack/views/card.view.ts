/**
 * The interview card posted in the project channel (SPEC §3a) and the texts of its thread.
 * Pure: the card is rendered from the current state each time it is posted or updated.
 */
import type { InterviewType, InvitationStatus, ReminderOption } from '../../common/domain';
import { context, escapeMrkdwn, header, mentionList, mention, plain, section, truncate, type Block } from './block-kit';
import {
  DEFAULT_REMINDER_ZONE,
  REMINDER_SHORT,
  STATUS_EMOJI,
  STATUS_WORDS,
  TYPE_EMOJI,
  TYPE_LABELS,
  cityOfZone,
  fmtDateLong,
  fmtDateShort,
  fmtTime,
  inZone,
  wallClock,
  oneLine,
} from './format';
import { CARD_ACTION_IDS } from './ids';

export interface CardCandidate {
  name: string;
  status: InvitationStatus;
  /** 'link' | 'sms' | … — how the answer came */
  answerChannel: string | null;
  answeredAt: Date | null;
  /** e.g. the SMS text that asked for a new time */
  note: string | null;
  delivery: 'delivered' | 'bounced' | 'undelivered' | 'failed' | null;
}

export interface CardModel {
  interviewId: number;
  type: InterviewType;
  projectTitle: string;
  startsAt: Date;
  durationMinutes: number;
  timezone: string;
  location: string | null;
  recruiterIds: string[];
  status: 'scheduled' | 'cancelled';
  reminder: { option: ReminderOption; days: number | null; dueAt: Date | null };
  candidates: CardCandidate[];
  progress?: { sent: number; total: number } | null;
}

export interface CardOptions {
  /** zone in which the reminder's due time is shown; default Europe/Stockholm */
  reminderZone?: string;
  /** when given, answer times on another day than `now` also show the date */
  now?: Date;
}

/** Message limit is 50 blocks; keep room for header, details, status, progress, summary and buttons. */
const MAX_CANDIDATE_SECTIONS = 40;
const LINES_PER_SECTION = 25;
const SECTION_MAX = 3000;

const CHANNEL_LABELS: Record<string, string> = { link: 'link', sms: 'SMS', email: 'email', slack: 'Slack', api: 'API', recruiter: 'recruiter' };

function channelLabel(channel: string): string {
  return CHANNEL_LABELS[channel.toLowerCase()] ?? escapeMrkdwn(truncate(channel, 30));
}

function candidateLine(c: CardCandidate, zone: string, today: string | null): string {
  const name = escapeMrkdwn(truncate(oneLine(c.name) || '?', 120));
  let line = `${STATUS_EMOJI[c.status] ?? '•'} ${name} — ${STATUS_WORDS[c.status] ?? escapeMrkdwn(String(c.status))}`;
  if (c.status !== 'pending' && (c.answerChannel || c.answeredAt || c.note)) {
    const parts: string[] = [];
    const ch = c.answerChannel ? channelLabel(c.answerChannel) : null;
    if (c.note && oneLine(c.note)) {
      const quoted = `"${escapeMrkdwn(truncate(oneLine(c.note), 150))}"`;
      parts.push(ch ? `${ch}: ${quoted}` : quoted);
    } else {
      if (ch) parts.push(ch);
      if (c.answeredAt) {
        const at = wallClock(c.answeredAt, zone);
        parts.push(today === null || today === at.day ? at.time : `${at.date} ${at.time}`);
      }
    }
    if (parts.length) line += ` (${parts.join(', ')})`;
  }
  if (c.delivery === 'bounced' || c.delivery === 'undelivered' || c.delivery === 'failed') {
    line += ` · ⚠️ ${c.delivery}`;
  } else if (c.delivery === 'delivered' && c.status === 'pending') {
    line += ' · 📧 delivered';
  }
  return truncate(line, 600);
}

function whenLine(m: CardModel): string {
  const start = inZone(m.startsAt, m.timezone);
  const end = start.plus({ minutes: m.durationMinutes });
  const endText = end.hasSame(start, 'day') ? fmtTime(end) : `${fmtDateShort(end)} ${fmtTime(end)}`;
  let line = `${fmtDateLong(start)} · ${fmtTime(start)}–${endText} (${escapeMrkdwn(cityOfZone(m.timezone))})`;
  if (m.location && oneLine(m.location)) line += ` · ${escapeMrkdwn(truncate(oneLine(m.location), 300))}`;
  return line;
}

function reminderText(m: CardModel, reminderZone: string): string {
  const r = m.reminder;
  if (r.option === 'none') return 'Reminder: none';
  let s = `Reminder: ${REMINDER_SHORT[r.option] ?? r.option}`;
  if (r.days) s += `, ${r.days} day${r.days === 1 ? '' : 's'} before`;
  if (r.dueAt) {
    const due = inZone(r.dueAt, reminderZone);
    s += ` (${fmtDateShort(due)} ${fmtTime(due)})`;
  }
  return s;
}

function tally(candidates: CardCandidate[]): string {
  const counts = new Map<InvitationStatus, number>();
  for (const c of candidates) counts.set(c.status, (counts.get(c.status) ?? 0) + 1);
  return [...counts.entries()].map(([s, n]) => `${STATUS_EMOJI[s] ?? '•'} ${n} ${STATUS_WORDS[s] ?? s}`).join(' · ');
}

/** Candidate lines packed into sections of ≤ 25 lines and ≤ 3000 chars; the rest summarised. */
function candidateSections(lines: string[], maxSections: number): { sections: string[]; omitted: number } {
  const sections: string[] = [];
  let current: string[] = [];
  let length = 0;
  let used = 0;
  for (const line of lines) {
    const extra = (current.length ? 1 : 0) + line.length;
    if (current.length >= LINES_PER_SECTION || length + extra > SECTION_MAX) {
      if (sections.length + 1 >= maxSections) break;
      sections.push(current.join('\n'));
      current = [];
      length = 0;
    }
    length += (current.length ? 1 : 0) + line.length;
    current.push(line);
    used++;
  }
  if (current.length) sections.push(current.join('\n'));
  return { sections, omitted: lines.length - used };
}

export function buildCard(model: CardModel, options: CardOptions = {}): { text: string; blocks: Block[] } {
  const reminderZone = options.reminderZone ?? DEFAULT_REMINDER_ZONE;
  const cancelled = model.status === 'cancelled';
  const typeLabel = TYPE_LABELS[model.type] ?? String(model.type);
  const emoji = TYPE_EMOJI[model.type] ?? '🗓️';
  const title = `${emoji} ${typeLabel} · ${oneLine(model.projectTitle)}`;
  const blocks: Block[] = [];

  blocks.push(header(title, 'card_header'));
  if (cancelled) blocks.push(section('🚫 *Cancelled* — the candidates’ reminders are cancelled.', 'card_cancelled'));

  const who = mentionList(model.recruiterIds);
  const line2 = [who ? `With ${who}` : null, cancelled ? null : reminderText(model, reminderZone)].filter(Boolean).join(' · ');
  const when = cancelled ? `~${whenLine(model)}~` : whenLine(model);
  blocks.push(section(truncate(line2 ? `${when}\n${line2}` : when, SECTION_MAX), 'card_details'));

  if (model.progress) {
    const { sent, total } = model.progress;
    blocks.push(context(sent >= total ? `Invitations sent: ${total}/${total}` : `Sending invitations… ${sent}/${total} sent`, 'card_progress'));
  }

  const zone = model.timezone;
  const today = options.now ? wallClock(options.now, zone).day : null;
  const lines = model.candidates.map((c) => candidateLine(c, zone, today));
  const showTally = model.candidates.length > 10;
  // blocks left: 50 − fixed blocks − (tally) − (omitted note) − (buttons)
  const reserved = blocks.length + (showTally ? 1 : 0) + 1 + (cancelled ? 0 : 1);
  const { sections, omitted } = candidateSections(lines, Math.min(MAX_CANDIDATE_SECTIONS, 50 - reserved));
  if (showTally) blocks.push(context(truncate(tally(model.candidates), 3000), 'card_tally'));
  sections.forEach((text, i) => blocks.push(section(text, `card_candidates_${i}`)));
  if (omitted > 0) blocks.push(context(`…and ${omitted} more candidate${omitted === 1 ? '' : 's'}`, 'card_more'));
  if (model.candidates.length === 0) blocks.push(context('No candidates.', 'card_more'));

  if (!cancelled) {
    const value = String(model.interviewId);
    blocks.push({
      type: 'actions',
      block_id: 'card_actions',
      elements: [
        { type: 'button', action_id: CARD_ACTION_IDS.reschedule, text: plain('Reschedule', 75), value },
        {
          type: 'button',
          action_id: CARD_ACTION_IDS.cancel,
          text: plain('Cancel interview', 75),
          value,
          style: 'danger',
          confirm: {
            title: plain('Cancel this interview?', 100),
            text: plain('You can choose next whether the candidates get a cancellation email. Reminders are cancelled.', 300),
            confirm: plain('Continue', 30),
            deny: plain('Keep it', 30),
            style: 'danger',
          },
        },
        { type: 'button', action_id: CARD_ACTION_IDS.resend, text: plain('Resend invitation', 75), value },
      ],
    });
  }

  const start = inZone(model.startsAt, model.timezone);
  const n = model.candidates.length;
  const text = truncate(
    `${cancelled ? 'Cancelled: ' : ''}${typeLabel} · ${escapeMrkdwn(oneLine(model.projectTitle))} · ${fmtDateLong(start)} ${fmtTime(start)} (${cityOfZone(
      model.timezone,
    )}) · ${n} candidate${n === 1 ? '' : 's'}${n ? `: ${tally(model.candidates)}` : ''}`,
    3000,
  );
  return { text, blocks };
}

// ---------------------------------------------------------------------------------------------
// thread replies

export type ThreadEvent =
  | { kind: 'answer'; candidate: string; status: InvitationStatus; channel: string; raw?: string | null; recruiterIds: string[] }
  | { kind: 'free_text'; candidate: string; text: string; recruiterIds: string[] }
  | { kind: 'delivery_failed'; candidate: string; channel: 'email' | 'sms'; reason: string; recruiterIds: string[] }
  | { kind: 'rescheduled' | 'cancelled' | 'resent'; by: string; detail: string };

const ANSWER_VERBS: Record<InvitationStatus, string> = {
  pending: 'has no answer any more',
  accepted: 'accepted',
  declined: 'declined',
  new_time_requested: 'asks for a new time',
  withdrawn: 'withdrew the application',
  cancelled: 'is cancelled',
};

function mentions(ids: string[]): string {
  const m = ids.map(mention).filter((x): x is string => x !== null);
  return m.length ? ` ${m.join(' ')}` : '';
}

function who(by: string): string {
  return mention(by) ?? escapeMrkdwn(truncate(oneLine(by) || 'Someone', 100));
}

/** mrkdwn for a threaded reply under the card. User-provided text is escaped. */
export function buildThreadText(event: ThreadEvent): string {
  let text: string;
  switch (event.kind) {
    case 'answer': {
      const name = escapeMrkdwn(truncate(oneLine(event.candidate) || '?', 200));
      const raw = event.raw && oneLine(event.raw) ? `: "${escapeMrkdwn(truncate(oneLine(event.raw), 500))}"` : '';
      text = `${STATUS_EMOJI[event.status] ?? '•'} ${name} ${ANSWER_VERBS[event.status] ?? escapeMrkdwn(String(event.status))} (${channelLabel(event.channel)}${raw}).${mentions(event.recruiterIds)}`;
      break;
    }
    case 'free_text': {
      const name = escapeMrkdwn(truncate(oneLine(event.candidate) || '?', 200));
      text = `💬 ${name} (SMS): ${escapeMrkdwn(truncate(event.text.trim(), 2000))}${mentions(event.recruiterIds)}`;
      break;
    }
    case 'delivery_failed': {
      const name = escapeMrkdwn(truncate(oneLine(event.candidate) || '?', 200));
      const what = event.channel === 'sms' ? 'An SMS' : 'An email';
      text = `⚠️ ${what} to ${name} was not delivered: ${escapeMrkdwn(truncate(oneLine(event.reason) || 'no reason given', 500))}.${mentions(event.recruiterIds)}`;
      break;
    }
    case 'rescheduled':
      text = `🗓️ ${who(event.by)} rescheduled the interview${event.detail ? `: ${escapeMrkdwn(truncate(event.detail.trim(), 2000))}` : '.'}`;
      break;
    case 'cancelled':
      text = `🚫 ${who(event.by)} cancelled the interview${event.detail ? `: ${escapeMrkdwn(truncate(event.detail.trim(), 2000))}` : '.'}`;
      break;
    case 'resent':
      text = `📨 ${who(event.by)} resent the invitation${event.detail ? `: ${escapeMrkdwn(truncate(event.detail.trim(), 2000))}` : '.'}`;
      break;
    default:
      text = '';
  }
  return truncate(text, 40000);
}
