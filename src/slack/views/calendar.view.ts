/**
 * The recruitment calendar: `/interviews` (ephemeral message, ≤ 50 blocks) and the App Home
 * tab (≤ 100 blocks). Upcoming interviews by day, each with its candidates' statuses.
 */
import type { InterviewType, InvitationStatus } from '../../common/domain';
import { context, escapeMrkdwn, header, section, truncate, type Block, type View } from './block-kit';
import {
  DEFAULT_REMINDER_ZONE,
  STATUS_EMOJI,
  STATUS_WORDS,
  TYPE_EMOJI,
  TYPE_LABELS,
  cityOfZone,
  fmtDateShort,
  fmtTime,
  inZone,
  oneLine,
} from './format';

export interface CalendarItem {
  interviewId: number;
  type: InterviewType;
  projectTitle: string;
  startsAt: Date;
  timezone: string;
  candidates: { name: string; status: InvitationStatus }[];
  nextReminder: Date | null;
}

export interface CalendarOptions {
  /** zone in which reminder times are shown; default Europe/Stockholm */
  reminderZone?: string;
}

export const CALENDAR_EMPTY_TEXT = 'No interviews in the next 14 days.';
const SECTION_MAX = 3000;
const NAMES_SHOWN = 8;

function candidatesLine(candidates: CalendarItem['candidates']): string {
  if (candidates.length === 0) return '_No candidates_';
  if (candidates.length <= NAMES_SHOWN) {
    return candidates.map((c) => `${STATUS_EMOJI[c.status] ?? '•'} ${escapeMrkdwn(truncate(oneLine(c.name) || '?', 60))}`).join(' · ');
  }
  const counts = new Map<InvitationStatus, number>();
  for (const c of candidates) counts.set(c.status, (counts.get(c.status) ?? 0) + 1);
  const tally = [...counts.entries()].map(([s, n]) => `${STATUS_EMOJI[s] ?? '•'} ${n} ${STATUS_WORDS[s] ?? s}`).join(' · ');
  return `${candidates.length} candidates: ${tally}`;
}

function itemText(item: CalendarItem, reminderZone: string): string {
  const start = inZone(item.startsAt, item.timezone);
  const type = `${TYPE_EMOJI[item.type] ?? '🗓️'} ${TYPE_LABELS[item.type] ?? item.type}`;
  let s = `*${fmtTime(start)}* (${escapeMrkdwn(cityOfZone(item.timezone))}) ${type} · ${escapeMrkdwn(truncate(oneLine(item.projectTitle), 150))}`;
  s += `\n${candidatesLine(item.candidates)}`;
  if (item.nextReminder) {
    const r = inZone(item.nextReminder, reminderZone);
    s += `\n⏰ Next reminder ${fmtDateShort(r)} ${fmtTime(r)}`;
  }
  return truncate(s, 1400);
}

function dayHeading(startsAt: Date, zone: string, now: Date): string {
  const d = inZone(startsAt, zone);
  const today = inZone(now, zone);
  if (d.hasSame(today, 'day')) return `Today · ${fmtDateShort(d)}`;
  if (d.hasSame(today.plus({ days: 1 }), 'day')) return `Tomorrow · ${fmtDateShort(d)}`;
  return fmtDateShort(d);
}

/**
 * The calendar as blocks: one section per day (split when a day exceeds 3000 characters),
 * at most `maxBlocks` blocks, summarising what does not fit.
 */
function calendarBlocks(items: CalendarItem[], now: Date, maxBlocks: number, options: CalendarOptions): Block[] {
  const reminderZone = options.reminderZone ?? DEFAULT_REMINDER_ZONE;
  const sorted = [...items].sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
  if (sorted.length === 0) return [section(CALENDAR_EMPTY_TEXT, 'calendar_empty')];

  // group consecutive items by day heading
  const days: { heading: string; texts: string[] }[] = [];
  for (const item of sorted) {
    const heading = dayHeading(item.startsAt, item.timezone, now);
    const last = days[days.length - 1];
    const text = itemText(item, reminderZone);
    if (last && last.heading === heading) last.texts.push(text);
    else days.push({ heading, texts: [text] });
  }

  const blocks: Block[] = [];
  const budget = maxBlocks - 1; // keep one for "…and N more"
  let shown = 0;
  let n = 0;
  outer: for (const day of days) {
    let current = `*${day.heading}*`;
    let count = 0;
    for (const t of day.texts) {
      if (current.length + 2 + t.length > SECTION_MAX) {
        if (blocks.length >= budget) break outer;
        blocks.push(section(current, `calendar_${n++}`));
        shown += count;
        current = `*${day.heading}* (continued)`;
        count = 0;
      }
      current += `\n\n${t}`;
      count++;
    }
    if (blocks.length >= budget) break;
    blocks.push(section(current, `calendar_${n++}`));
    shown += count;
  }
  const rest = sorted.length - shown;
  if (rest > 0) blocks.push(context(`…and ${rest} more interview${rest === 1 ? '' : 's'}`, 'calendar_more'));
  return blocks;
}

/** Blocks for `/interviews` (an ephemeral message: ≤ 50 blocks). */
export function buildCalendarBlocks(items: CalendarItem[], now: Date, options: CalendarOptions = {}): Block[] {
  return [header('Upcoming interviews', 'calendar_header'), ...calendarBlocks(items, now, 49, options)];
}

/** One-line fallback text for the `/interviews` message. */
export function buildCalendarText(items: CalendarItem[]): string {
  if (items.length === 0) return CALENDAR_EMPTY_TEXT;
  return `${items.length} upcoming interview${items.length === 1 ? '' : 's'} in the next 14 days.`;
}

/** The App Home tab (≤ 100 blocks). */
export function buildHomeView(items: CalendarItem[], now: Date, options: CalendarOptions = {}): View {
  const updated = inZone(now, options.reminderZone ?? DEFAULT_REMINDER_ZONE);
  const blocks: Block[] = [
    header('Recruitment calendar', 'home_header'),
    context(`Interviews in the next 14 days · updated ${fmtDateShort(updated)} ${fmtTime(updated)} · \`/invite\` to invite candidates`, 'home_updated'),
    ...calendarBlocks(items, now, 98, options),
  ];
  return { type: 'home', blocks };
}
