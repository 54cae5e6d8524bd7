/**
 * The two-step /invite modal (SPEC §2.1, §2.3, §3a): pure builders and parsers.
 * Step 1: project → candidates → type → date → time → recruiters → duration → location.
 * Step 2: the email(s) per language, the confirm-link option and the reminder.
 */
import { DateTime } from 'luxon';
import {
  INTERVIEW_TYPES,
  REMINDER_DAYS,
  REMINDER_OPTIONS,
  isLanguage,
  LANGUAGE_NAMES_EN,
  type InterviewType,
  type Language,
  type ReminderOption,
} from '../../common/domain';
import {
  context,
  divider,
  escapeMrkdwn,
  input,
  mentionList,
  option,
  plain,
  section,
  truncate,
  type Block,
  type BlockElement,
  type OptionObject,
  type View,
} from './block-kit';
import {
  DEFAULT_DURATION,
  DURATION_CHOICES,
  LANGUAGE_NAMES,
  REMINDER_LABELS,
  TYPE_EMOJI,
  TYPE_LABELS,
  durationLabel,
  fmtDateLong,
} from './format';
import {
  CALLBACK_IDS,
  CONFIRM_LINK_VALUE,
  SEND_ACTIONS,
  STEP1_IDS,
  STEP2_IDS,
  candidatesBlockId,
  contentId,
  projectIdOfCandidatesBlock,
  subjectId,
} from './ids';
import {
  dateValue,
  positiveInt,
  readAction,
  safeJson,
  selectedValue,
  selectedValues,
  textValue,
  timeValue,
  usersValue,
  type StateValues,
} from './state';

export type { StateValues } from './state';

/** Slack's limit of options in a static select; beyond it the candidate list is an external select. */
export const MAX_STATIC_OPTIONS = 100;
/** Longest location/details text accepted (keeps step 2's private_metadata within 3000 chars). */
export const LOCATION_MAX_LENGTH = 1000;
const METADATA_MAX = 3000;

export const MERGE_TAGS = [
  '{candidate_first_name}',
  '{candidate_last_name}',
  '{candidate_name}',
  '{project_title}',
  '{interview_type}',
  '{interview_date}',
  '{interview_time}',
  '{interview_duration}',
  '{interview_location}',
  '{recruiters}',
  '{sender_name}',
  '{confirmlink}',
] as const;

export interface Step1Values {
  projectId: number;
  applicationIds: number[];
  type: InterviewType;
  /** yyyy-mm-dd, wall date in the project's zone */
  date: string;
  /** HH:mm, wall time in the project's zone */
  time: string;
  recruiterIds: string[];
  durationMinutes: number;
  location: string | null;
}

export interface Step1Candidate {
  applicationId: number;
  name: string;
  language: Language;
  hasMobile: boolean;
  status: string;
}

export interface Step1Input {
  projects: { id: number; title: string }[];
  selectedProjectId: number | null;
  candidates: Step1Candidate[];
  inviterUserId: string;
  projectTimezone: string;
  defaults?: Partial<Step1Values>;
  /** keyed by block_id; `candidates` is accepted for the candidates block whatever its id */
  errors?: Record<string, string>;
}

export interface Step2Values {
  sendEmail: boolean;
  senderEmail: string;
  templates: Partial<Record<Language, { subject: string; content: string }>>;
  confirmLink: boolean;
  reminderOption: ReminderOption;
  reminderDays: number | null;
  reminderSubject: string;
  reminderContent: string;
  reminderSignature: string;
}

export interface Step2Input {
  step1: Step1Values;
  projectTitle: string;
  /** distinct languages of the chosen candidates */
  languages: Language[];
  senderEmail: string;
  templates: Partial<Record<Language, { subject: string; content: string }>>;
  reminderDefaults: { subject: string; content: string; signature: string };
  confirmLinkDefault: boolean;
  smsAccess: boolean;
  /** names of chosen candidates without a mobile number */
  candidatesWithoutMobile: string[];
  /** which of 1, 2, 3, 5, 7 are still possible for this interview */
  allowedReminderDays: number[];
  /** why some/all days are impossible, e.g. "the interview is tomorrow; only 1 day before is possible" */
  reminderDaysMessage: string | null;
  values?: Partial<Step2Values>;
  errors?: Record<string, string>;
}

export type ParseErrors = Record<string /* block_id */, string>;

// ---------------------------------------------------------------------------------------------
// helpers

/** Put each error as a context line right under its block; errors for unknown blocks go on top. */
function withErrors(blocks: Block[], errors: Record<string, string> | undefined, alias: Record<string, string> = {}): Block[] {
  if (!errors || Object.keys(errors).length === 0) return blocks;
  const byBlock = new Map<string, string>();
  for (const [key, msg] of Object.entries(errors)) {
    if (typeof msg !== 'string' || msg === '') continue;
    byBlock.set(alias[key] ?? key, msg);
  }
  const ids = new Set(blocks.map((b) => b.block_id).filter((x): x is string => !!x));
  const out: Block[] = [];
  const orphans = [...byBlock.entries()].filter(([id]) => !ids.has(id));
  if (orphans.length) out.push(context(orphans.map(([, m]) => `⚠️ ${escapeMrkdwn(m)}`).join('\n'), 'errors'));
  for (const b of blocks) {
    out.push(b);
    const msg = b.block_id ? byBlock.get(b.block_id) : undefined;
    if (msg) out.push(context(`⚠️ ${escapeMrkdwn(msg)}`, `${b.block_id}_error`));
  }
  return out;
}

function durationOptions(current: number | undefined): OptionObject[] {
  const values: number[] = [...DURATION_CHOICES];
  if (current && !values.includes(current) && current > 0 && current <= 24 * 60) values.push(current);
  values.sort((a, b) => a - b);
  return values.map((m) => option(durationLabel(m), String(m)));
}

/** A duration input (step 1 and the reschedule modal). */
export function durationElement(actionId: string, current: number | undefined): BlockElement {
  const minutes = current && current > 0 && current <= 24 * 60 ? current : DEFAULT_DURATION;
  const options = durationOptions(minutes);
  return {
    type: 'static_select',
    action_id: actionId,
    options,
    initial_option: options.find((o) => o.value === String(minutes)),
  };
}

export function candidateOptionText(c: Step1Candidate): string {
  let suffix = ` · ${c.language}`;
  if (c.hasMobile) suffix += ' · 📱';
  if (c.status && c.status !== 'active') suffix += ` · ${c.status}`;
  return truncate(c.name.trim() || `#${c.applicationId}`, 75 - suffix.length) + suffix;
}

function candidateOption(c: Step1Candidate): OptionObject {
  return option(candidateOptionText(c), String(c.applicationId));
}

// ---------------------------------------------------------------------------------------------
// step 1

export function buildInviteStep1View(inp: Step1Input): View {
  const d = inp.defaults ?? {};
  const blocks: Block[] = [];

  // project
  if (inp.projects.length === 0) {
    blocks.push(context('There are no recruitment projects yet. An operator adds them through the admin API.', 'no_projects'));
  } else {
    const external = inp.projects.length > MAX_STATIC_OPTIONS;
    const selected = inp.projects.find((p) => p.id === inp.selectedProjectId);
    const projectOption = (p: { id: number; title: string }) => option(p.title, String(p.id));
    const element: BlockElement = external
      ? { type: 'external_select', action_id: STEP1_IDS.project, min_query_length: 0, placeholder: plain('Type to search projects', 150) }
      : { type: 'static_select', action_id: STEP1_IDS.project, options: inp.projects.map(projectOption), placeholder: plain('Choose a project', 150) };
    if (selected) element.initial_option = projectOption(selected);
    blocks.push(input({ blockId: STEP1_IDS.project, label: 'Recruitment project', element, dispatchAction: true }));
  }

  // candidates
  let candidatesId: string = STEP1_IDS.candidates;
  if (inp.selectedProjectId === null) {
    blocks.push(context('Choose a project first; its candidates appear here.', STEP1_IDS.candidates));
  } else if (inp.candidates.length === 0) {
    blocks.push(context('This project has no candidates yet. Add them through the admin API or a CSV import.', STEP1_IDS.candidates));
  } else {
    const external = inp.candidates.length > MAX_STATIC_OPTIONS;
    candidatesId = candidatesBlockId(inp.selectedProjectId, external);
    const wanted = new Set(d.applicationIds ?? []);
    const initial = inp.candidates.filter((c) => wanted.has(c.applicationId)).slice(0, MAX_STATIC_OPTIONS).map(candidateOption);
    const element: BlockElement = external
      ? {
          type: 'multi_external_select',
          action_id: STEP1_IDS.candidates,
          min_query_length: 0,
          placeholder: plain('Type a name to search', 150),
        }
      : {
          type: 'multi_static_select',
          action_id: STEP1_IDS.candidates,
          options: inp.candidates.map(candidateOption),
          placeholder: plain('Choose candidates', 150),
        };
    if (initial.length) element.initial_options = initial;
    const hint = external
      ? `${inp.candidates.length} candidates: type part of a name to find them. Everyone chosen shares this slot and gets an invitation of their own.`
      : 'Everyone chosen shares this slot and gets an invitation of their own. 📱 = mobile number known.';
    blocks.push(input({ blockId: candidatesId, label: 'Candidates', element, hint }));
  }

  // interview type
  const typeOptions = INTERVIEW_TYPES.map((t) => option(`${TYPE_EMOJI[t]} ${TYPE_LABELS[t]}`, t));
  const typeElement: BlockElement = { type: 'static_select', action_id: STEP1_IDS.type, options: typeOptions, placeholder: plain('Choose a type', 150) };
  const initialType = typeOptions.find((o) => o.value === d.type);
  if (initialType) typeElement.initial_option = initialType;
  blocks.push(input({ blockId: STEP1_IDS.type, label: 'Interview type', element: typeElement }));

  // date
  const dateElement: BlockElement = { type: 'datepicker', action_id: STEP1_IDS.date, placeholder: plain('Choose a date', 150) };
  if (d.date && /^\d{4}-\d{2}-\d{2}$/.test(d.date)) dateElement.initial_date = d.date;
  blocks.push(input({ blockId: STEP1_IDS.date, label: 'Date', element: dateElement }));

  // time
  const timeElement: BlockElement = { type: 'timepicker', action_id: STEP1_IDS.time, placeholder: plain('Choose a time', 150) };
  if (d.time && /^([01]\d|2[0-3]):[0-5]\d$/.test(d.time)) timeElement.initial_time = d.time;
  blocks.push(input({ blockId: STEP1_IDS.time, label: 'Time', element: timeElement, hint: `Time in ${inp.projectTimezone}` }));

  // recruiters
  const recruiters = d.recruiterIds && d.recruiterIds.length ? d.recruiterIds : inp.inviterUserId ? [inp.inviterUserId] : [];
  const recruitersElement: BlockElement = {
    type: 'multi_users_select',
    action_id: STEP1_IDS.recruiters,
    placeholder: plain('Choose recruiters', 150),
  };
  if (recruiters.length) recruitersElement.initial_users = recruiters;
  blocks.push(
    input({
      blockId: STEP1_IDS.recruiters,
      label: 'Participating recruiters',
      element: recruitersElement,
      hint: 'They are mentioned on the card when a candidate answers.',
    }),
  );

  // duration
  blocks.push(input({ blockId: STEP1_IDS.duration, label: 'Duration', element: durationElement(STEP1_IDS.duration, d.durationMinutes) }));

  // location
  const locationElement: BlockElement = {
    type: 'plain_text_input',
    action_id: STEP1_IDS.location,
    multiline: true,
    max_length: LOCATION_MAX_LENGTH,
    placeholder: plain('Address, room, video link or phone number', 150),
  };
  if (d.location) locationElement.initial_value = truncate(d.location, LOCATION_MAX_LENGTH);
  blocks.push(input({ blockId: STEP1_IDS.location, label: 'Location or details', element: locationElement, optional: true }));

  return {
    type: 'modal',
    callback_id: CALLBACK_IDS.inviteStep1,
    title: plain('Invite to interview', 24),
    submit: plain('Next', 24),
    close: plain('Cancel', 24),
    private_metadata: JSON.stringify({ projectId: inp.selectedProjectId }),
    blocks: withErrors(blocks, inp.errors, { [STEP1_IDS.candidates]: candidatesId }),
  };
}

export function parseStep1(
  stateValues: StateValues,
  privateMetadata: string,
): { ok: true; value: Step1Values } | { ok: false; errors: ParseErrors } {
  const errors: ParseErrors = {};
  const state = stateValues ?? {};
  const meta = safeJson(privateMetadata) as { projectId?: unknown } | null;

  const projectId = positiveInt(selectedValue(readAction(state, STEP1_IDS.project))) ?? positiveInt(meta?.projectId ?? null);

  // candidates: the block whose id carries a project id
  const candidateBlocks = Object.keys(state).filter((k) => projectIdOfCandidatesBlock(k) !== null);
  let applicationIds: number[] = [];
  if (projectId === null) {
    errors[STEP1_IDS.project] = 'Choose a project.';
  } else {
    const blockId = candidateBlocks.find((k) => projectIdOfCandidatesBlock(k) === projectId);
    if (!blockId) {
      errors[STEP1_IDS.project] = candidateBlocks.length
        ? 'The candidate list is still loading for this project. Wait a moment, then choose the candidates.'
        : 'This project has no candidates to invite. Choose another project.';
    } else {
      const ids = selectedValues(readAction(state, blockId, STEP1_IDS.candidates))
        .map(positiveInt)
        .filter((n): n is number => n !== null);
      applicationIds = [...new Set(ids)];
      if (applicationIds.length === 0) errors[blockId] = 'Choose at least one candidate.';
    }
  }

  const typeRaw = selectedValue(readAction(state, STEP1_IDS.type));
  const type = (INTERVIEW_TYPES as readonly string[]).includes(typeRaw ?? '') ? (typeRaw as InterviewType) : null;
  if (!type) errors[STEP1_IDS.type] = 'Choose the type of interview.';

  const date = dateValue(readAction(state, STEP1_IDS.date));
  if (!date || !DateTime.fromISO(date).isValid) errors[STEP1_IDS.date] = 'Choose a date.';

  const time = timeValue(readAction(state, STEP1_IDS.time));
  if (!time) errors[STEP1_IDS.time] = 'Choose a time.';

  const recruiterIds = [...new Set(usersValue(readAction(state, STEP1_IDS.recruiters)))];
  if (recruiterIds.length === 0) errors[STEP1_IDS.recruiters] = 'Choose at least one recruiter.';

  const duration = positiveInt(selectedValue(readAction(state, STEP1_IDS.duration)));
  if (duration === null || duration > 24 * 60) errors[STEP1_IDS.duration] = 'Choose how long the interview lasts.';

  const locationRaw = (textValue(readAction(state, STEP1_IDS.location)) ?? '').trim();
  if (locationRaw.length > LOCATION_MAX_LENGTH) {
    errors[STEP1_IDS.location] = `Keep the location under ${LOCATION_MAX_LENGTH} characters.`;
  }

  if (Object.keys(errors).length) return { ok: false, errors };
  const value: Step1Values = {
    projectId: projectId as number,
    applicationIds,
    type: type as InterviewType,
    date: date as string,
    time: time as string,
    recruiterIds,
    durationMinutes: duration as number,
    location: locationRaw === '' ? null : locationRaw,
  };
  if (encodeStep2Metadata(value, [...REMINDER_DAYS]).length > METADATA_MAX) {
    const blockId = candidateBlocks.find((k) => projectIdOfCandidatesBlock(k) === projectId) as string;
    return {
      ok: false,
      errors: { [blockId]: `${applicationIds.length} candidates are too many for one invitation. Choose fewer and invite the rest in a second round.` },
    };
  }
  return { ok: true, value };
}

// ---------------------------------------------------------------------------------------------
// step 1 ⇄ private_metadata (compact: ids as signed base-36 deltas)

function encodeIds(ids: number[]): string {
  let prev = 0;
  return ids
    .map((id) => {
      const s = (id - prev).toString(36);
      prev = id;
      return s;
    })
    .join('.');
}

function decodeIds(s: unknown): number[] | null {
  if (typeof s !== 'string' || s === '') return null;
  let prev = 0;
  const out: number[] = [];
  for (const part of s.split('.')) {
    if (!/^-?[0-9a-z]{1,11}$/.test(part)) return null;
    prev += parseInt(part, 36);
    if (!Number.isSafeInteger(prev) || prev <= 0) return null;
    out.push(prev);
  }
  return out;
}

export function encodeStep1(v: Step1Values): string {
  return JSON.stringify(step1Compact(v));
}

function step1Compact(v: Step1Values): Record<string, unknown> {
  return {
    p: v.projectId,
    a: encodeIds(v.applicationIds),
    t: v.type,
    d: v.date,
    h: v.time,
    r: v.recruiterIds,
    m: v.durationMinutes,
    l: v.location,
  };
}

function encodeStep2Metadata(v: Step1Values, allowedDays: number[]): string {
  return JSON.stringify({ ...step1Compact(v), x: allowedDays });
}

/** Step 1 from step 2's private_metadata (or from encodeStep1), or null when it is not one. */
export function decodeStep1(metadata: string): Step1Values | null {
  const o = safeJson(metadata) as Record<string, unknown> | null;
  if (!o || typeof o !== 'object') return null;
  const projectId = positiveInt(o.p);
  const applicationIds = decodeIds(o.a);
  const type = typeof o.t === 'string' && (INTERVIEW_TYPES as readonly string[]).includes(o.t) ? (o.t as InterviewType) : null;
  const date = typeof o.d === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(o.d) ? o.d : null;
  const time = typeof o.h === 'string' && /^([01]\d|2[0-3]):[0-5]\d$/.test(o.h) ? o.h : null;
  const recruiterIds = Array.isArray(o.r) && o.r.every((x) => typeof x === 'string') ? (o.r as string[]) : null;
  const durationMinutes = positiveInt(o.m);
  const location = o.l === null || o.l === undefined ? null : typeof o.l === 'string' ? o.l : undefined;
  if (!projectId || !applicationIds || !type || !date || !time || !recruiterIds || !durationMinutes || location === undefined) return null;
  return { projectId, applicationIds, type, date, time, recruiterIds, durationMinutes, location };
}

function allowedDaysFromMetadata(metadata: string): number[] | null {
  const o = safeJson(metadata) as Record<string, unknown> | null;
  if (!o || !Array.isArray(o.x)) return null;
  return o.x.filter((n): n is number => typeof n === 'number');
}

// ---------------------------------------------------------------------------------------------
// step 2

function step1Summary(s: Step1Values, projectTitle: string): string {
  const start = DateTime.fromISO(`${s.date}T${s.time}`, { zone: 'UTC' }).setLocale('en-GB');
  const when = start.isValid
    ? `${fmtDateLong(start)} · ${s.time}–${start.plus({ minutes: s.durationMinutes }).toFormat('HH:mm')}`
    : `${s.date} ${s.time}`;
  const n = s.applicationIds.length;
  const who = mentionList(s.recruiterIds);
  return truncate(
    `*${escapeMrkdwn(truncate(projectTitle, 200))}* · ${TYPE_EMOJI[s.type]} ${TYPE_LABELS[s.type]} · ${when} · ` +
      `${n} candidate${n === 1 ? '' : 's'}${who ? ` · with ${who}` : ''}`,
    3000,
  );
}

function textInput(actionId: string, initial: string | undefined, multiline: boolean, placeholder?: string): BlockElement {
  const el: BlockElement = { type: 'plain_text_input', action_id: actionId, max_length: 3000 };
  if (multiline) el.multiline = true;
  if (initial) el.initial_value = truncate(initial, 3000);
  if (placeholder) el.placeholder = plain(placeholder, 150);
  return el;
}

const TAGS_HINT = `Tags: ${MERGE_TAGS.join(' ')}. Without {confirmlink} the link is added after the text when the option below is on.`;

function namesList(names: string[], max = 20): string {
  const shown = names.slice(0, max).map((n) => escapeMrkdwn(truncate(n.trim() || '?', 80)));
  const rest = names.length - shown.length;
  if (rest > 0) return `${shown.join(', ')} and ${rest} more`;
  return shown.join(', ');
}

export function buildInviteStep2View(inp: Step2Input): View {
  const v = inp.values ?? {};
  const blocks: Block[] = [];
  const languages = [...new Set(inp.languages)].filter(isLanguage);

  blocks.push(context(step1Summary(inp.step1, inp.projectTitle), 'summary'));

  // action
  const actionOptions = [
    { text: plain('Send email', 75), value: SEND_ACTIONS.send },
    {
      text: plain("Don't send email", 75),
      value: SEND_ACTIONS.dontSend,
      description: plain('The invitation is recorded; only the reminder goes out.', 75),
    },
  ];
  blocks.push(
    input({
      blockId: STEP2_IDS.action,
      label: 'Email',
      element: {
        type: 'radio_buttons',
        action_id: STEP2_IDS.action,
        options: actionOptions,
        initial_option: v.sendEmail === false ? actionOptions[1] : actionOptions[0],
      },
    }),
  );

  // sender
  blocks.push(
    input({
      blockId: STEP2_IDS.sender,
      label: 'Sender address',
      element: textInput(STEP2_IDS.sender, v.senderEmail ?? inp.senderEmail, false, 'recruiting@example.com'),
      hint: 'Candidates see this address, and their replies go there.',
    }),
  );

  // one subject + content per language
  for (const lang of languages) {
    const t = v.templates?.[lang] ?? inp.templates[lang];
    blocks.push(section(`*Email in ${LANGUAGE_NAMES[lang]}*`, `lang_${lang}`));
    blocks.push(input({ blockId: subjectId(lang), label: 'Subject', element: textInput(subjectId(lang), t?.subject, false), optional: true }));
    blocks.push(
      input({
        blockId: contentId(lang),
        label: 'Content',
        element: textInput(contentId(lang), t?.content, true),
        optional: true,
        hint: TAGS_HINT,
      }),
    );
  }

  // confirm link
  const confirmOption = { text: plain('Insert a link where the candidate can accept or decline', 75), value: CONFIRM_LINK_VALUE };
  const confirmElement: BlockElement = { type: 'checkboxes', action_id: STEP2_IDS.confirmLink, options: [confirmOption] };
  if (v.confirmLink ?? inp.confirmLinkDefault) confirmElement.initial_options = [confirmOption];
  blocks.push(
    input({
      blockId: STEP2_IDS.confirmLink,
      label: 'Answer link',
      element: confirmElement,
      optional: true,
      hint: 'The link appears once: where {confirmlink} stands, otherwise after the text.',
    }),
  );

  // reminder
  blocks.push(divider());
  blocks.push(section('*Reminder*', 'reminder_heading'));
  const reminderChoices = REMINDER_OPTIONS.filter((o) => inp.smsAccess || (o !== 'sms' && o !== 'sms_email'));
  const reminderOptions = reminderChoices.map((o) => option(REMINDER_LABELS[o], o));
  const chosenReminder = reminderChoices.includes(v.reminderOption as ReminderOption) ? (v.reminderOption as ReminderOption) : 'none';
  blocks.push(
    input({
      blockId: STEP2_IDS.reminderOption,
      label: 'Reminder',
      element: {
        type: 'static_select',
        action_id: STEP2_IDS.reminderOption,
        options: reminderOptions,
        initial_option: reminderOptions.find((o) => o.value === chosenReminder),
      },
      hint: inp.smsAccess ? undefined : 'SMS reminders are available to recruiters with SMS access.',
    }),
  );
  if (inp.smsAccess && inp.candidatesWithoutMobile.length) {
    blocks.push(
      context(
        `⚠️ No mobile number for ${namesList(inp.candidatesWithoutMobile)}: they will get no SMS reminder (email where chosen).`,
        'no_mobile_warning',
      ),
    );
  }

  const allowed = REMINDER_DAYS.filter((n) => inp.allowedReminderDays.includes(n));
  if (allowed.length === 0) {
    blocks.push(context(`No reminder is possible: ${escapeMrkdwn(inp.reminderDaysMessage ?? 'the interview is too soon.')}`, STEP2_IDS.reminderDays));
  } else {
    const dayOptions = allowed.map((n) => option(n === 1 ? '1 day before' : `${n} days before`, String(n)));
    const daysElement: BlockElement = {
      type: 'static_select',
      action_id: STEP2_IDS.reminderDays,
      options: dayOptions,
      placeholder: plain('Choose days before', 150),
    };
    const initialDays = dayOptions.find((o) => o.value === String(v.reminderDays));
    if (initialDays) daysElement.initial_option = initialDays;
    blocks.push(
      input({
        blockId: STEP2_IDS.reminderDays,
        label: 'When',
        element: daysElement,
        optional: true,
        hint: inp.reminderDaysMessage ?? 'Sent in the morning, the chosen number of calendar days before.',
      }),
    );
  }
  blocks.push(
    input({
      blockId: STEP2_IDS.reminderSubject,
      label: 'Reminder email subject',
      element: textInput(STEP2_IDS.reminderSubject, v.reminderSubject ?? inp.reminderDefaults.subject, false),
      optional: true,
    }),
  );
  blocks.push(
    input({
      blockId: STEP2_IDS.reminderContent,
      label: 'Reminder email content',
      element: textInput(STEP2_IDS.reminderContent, v.reminderContent ?? inp.reminderDefaults.content, true),
      optional: true,
      hint: 'The same tags work here.',
    }),
  );
  blocks.push(
    input({
      blockId: STEP2_IDS.reminderSignature,
      label: 'Reminder signature',
      element: textInput(STEP2_IDS.reminderSignature, v.reminderSignature ?? inp.reminderDefaults.signature, true),
      optional: true,
    }),
  );

  return {
    type: 'modal',
    callback_id: CALLBACK_IDS.inviteStep2,
    title: plain('Invite · email', 24),
    submit: plain('Send', 24),
    close: plain('Cancel', 24),
    private_metadata: encodeStep2Metadata(inp.step1, allowed),
    blocks: withErrors(blocks, inp.errors),
  };
}

const EMAIL_RE = /^[^\s@<>()[\],;:"]+@[^\s@<>()[\],;:"]+\.[^\s@<>()[\],;:"]{2,}$/;

export function parseStep2(
  stateValues: StateValues,
  privateMetadata: string,
): { ok: true; value: Step2Values; step1: Step1Values } | { ok: false; errors: ParseErrors } {
  const state = stateValues ?? {};
  const step1 = decodeStep1(privateMetadata);
  if (!step1) return { ok: false, errors: { [STEP2_IDS.action]: 'This form has expired. Close it and run /invite again.' } };
  const allowed = allowedDaysFromMetadata(privateMetadata) ?? [...REMINDER_DAYS];
  const errors: ParseErrors = {};

  const sendEmail = selectedValue(readAction(state, STEP2_IDS.action)) !== SEND_ACTIONS.dontSend;

  const senderEmail = (textValue(readAction(state, STEP2_IDS.sender)) ?? '').trim();
  if (senderEmail === '' ? sendEmail : !EMAIL_RE.test(senderEmail)) {
    errors[STEP2_IDS.sender] = 'Enter a valid sender address, like recruiting@example.com.';
  }

  const templates: Partial<Record<Language, { subject: string; content: string }>> = {};
  const langs = new Set<Language>();
  for (const key of Object.keys(state)) {
    const m = /^(subject|content)_(.+)$/.exec(key);
    if (m && isLanguage(m[2])) langs.add(m[2]);
  }
  for (const lang of langs) {
    const subject = (textValue(readAction(state, subjectId(lang))) ?? '').trim();
    const content = textValue(readAction(state, contentId(lang))) ?? '';
    templates[lang] = { subject, content };
    if (sendEmail) {
      if (subject === '') errors[subjectId(lang)] = `Write a subject for the ${LANGUAGE_NAMES_EN[lang]} email.`;
      if (content.trim() === '') errors[contentId(lang)] = `Write the text of the ${LANGUAGE_NAMES_EN[lang]} email.`;
    }
  }

  const confirmLink = selectedValues(readAction(state, STEP2_IDS.confirmLink)).includes(CONFIRM_LINK_VALUE);

  const optionRaw = selectedValue(readAction(state, STEP2_IDS.reminderOption));
  const reminderOption: ReminderOption = (REMINDER_OPTIONS as readonly string[]).includes(optionRaw ?? '') ? (optionRaw as ReminderOption) : 'none';

  let reminderDays: number | null = null;
  if (reminderOption !== 'none') {
    const days = positiveInt(selectedValue(readAction(state, STEP2_IDS.reminderDays)));
    if (allowed.length === 0) {
      errors[STEP2_IDS.reminderOption] = 'No reminder is possible for this interview time. Choose “No reminder”.';
    } else if (days === null) {
      errors[STEP2_IDS.reminderDays] = 'Choose how many days before the interview the reminder goes out.';
    } else if (!allowed.includes(days)) {
      errors[STEP2_IDS.reminderDays] = `Choose one of: ${allowed.map((n) => `${n} day${n === 1 ? '' : 's'}`).join(', ')} before.`;
    } else {
      reminderDays = days;
    }
  }

  const reminderSubject = (textValue(readAction(state, STEP2_IDS.reminderSubject)) ?? '').trim();
  const reminderContent = textValue(readAction(state, STEP2_IDS.reminderContent)) ?? '';
  const reminderSignature = textValue(readAction(state, STEP2_IDS.reminderSignature)) ?? '';
  if (reminderOption === 'email' || reminderOption === 'sms_email') {
    if (reminderSubject === '') errors[STEP2_IDS.reminderSubject] = 'Write a subject for the reminder email.';
    if (reminderContent.trim() === '') errors[STEP2_IDS.reminderContent] = 'Write the text of the reminder email.';
  }

  if (Object.keys(errors).length) return { ok: false, errors };
  return {
    ok: true,
    step1,
    value: {
      sendEmail,
      senderEmail,
      templates,
      confirmLink,
      reminderOption,
      reminderDays,
      reminderSubject,
      reminderContent,
      reminderSignature,
    },
  };
}
