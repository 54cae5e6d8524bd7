/**
 * Identifiers shared between the Slack views built here and the handlers that receive their
 * submissions and button clicks. Pure constants; no framework imports.
 *
 * Convention: an input's block_id and action_id are the same string, so a value is read as
 * `view.state.values[ID][ID]` — with one exception, the candidates block (see
 * `candidatesBlockId`): its action_id is always `candidates`, its block_id carries the project
 * id so that Slack drops stale selections when the project changes.
 */
import type { Language } from '../../common/domain';

export const CALLBACK_IDS = {
  inviteStep1: 'invite_step1',
  inviteStep2: 'invite_step2',
  reschedule: 'reschedule',
  cancelInterview: 'cancel_interview',
} as const;

/** Step 1 of /invite (block_id === action_id, except the candidates block: see candidatesBlockId). */
export const STEP1_IDS = {
  project: 'project',
  candidates: 'candidates',
  type: 'type',
  date: 'date',
  time: 'time',
  recruiters: 'recruiters',
  duration: 'duration',
  location: 'location',
} as const;

/**
 * action_ids whose options a `block_suggestion` (options load) endpoint must serve when the
 * list is too long for a static select: `candidates` (project has > 100 candidates; the
 * project id is in the view's private_metadata `{projectId}` and in the block_id) and
 * `project` (> 100 projects).
 */
export const EXTERNAL_SELECT_ACTION_IDS = {
  candidates: STEP1_IDS.candidates,
  project: STEP1_IDS.project,
} as const;

/** Step 2 of /invite (block_id === action_id). */
export const STEP2_IDS = {
  action: 'action',
  sender: 'sender',
  confirmLink: 'confirm_link',
  reminderOption: 'reminder_option',
  reminderDays: 'reminder_days',
  reminderSubject: 'reminder_subject',
  reminderContent: 'reminder_content',
  reminderSignature: 'reminder_signature',
} as const;

export const subjectId = (lang: Language): string => `subject_${lang}`;
export const contentId = (lang: Language): string => `content_${lang}`;

/** Values of the step-2 "action" radio buttons. */
export const SEND_ACTIONS = { send: 'send', dontSend: 'dont_send' } as const;
/** Value of the single confirm-link checkbox option. */
export const CONFIRM_LINK_VALUE = 'confirm_link';

/** Buttons on the interview card; each button's `value` is String(interviewId). */
export const CARD_ACTION_IDS = {
  reschedule: 'card_reschedule',
  cancel: 'card_cancel',
  resend: 'card_resend',
} as const;

/** Reschedule modal (block_id === action_id). */
export const RESCHEDULE_IDS = {
  date: 'reschedule_date',
  time: 'reschedule_time',
  duration: 'reschedule_duration',
} as const;

/** Cancel modal (block_id === action_id). */
export const CANCEL_IDS = {
  notify: 'cancel_notify',
} as const;
/** Value of the single "email the candidates" checkbox option. */
export const CANCEL_NOTIFY_VALUE = 'notify';

/**
 * block_id of the candidates input in step 1. It carries the project id (and whether the
 * select is static or external) so that Slack does not carry selections of one project's
 * candidates over to another project's list when the view is updated.
 * parseStep1 reports candidate errors under this id, ready for `response_action: 'errors'`.
 */
export function candidatesBlockId(projectId: number, external: boolean): string {
  return `${STEP1_IDS.candidates}_${projectId}${external ? '_x' : ''}`;
}

/** The project id encoded in a candidates block_id, or null when it is none. */
export function projectIdOfCandidatesBlock(blockId: string): number | null {
  const m = /^candidates_(\d+)(_x)?$/.exec(blockId);
  return m ? Number(m[1]) : null;
}
