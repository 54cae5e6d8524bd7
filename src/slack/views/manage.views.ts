/** Reschedule and cancel modals, opened from the card's buttons. Pure builders and parsers. */
import { DateTime } from 'luxon';
import { context, input, plain, section, type Block, type BlockElement, type View } from './block-kit';
import { durationElement } from './invite.views';
import { CALLBACK_IDS, CANCEL_IDS, CANCEL_NOTIFY_VALUE, RESCHEDULE_IDS } from './ids';
import { fmtDateLong, fmtTime, inZone } from './format';
import { dateValue, positiveInt, readAction, safeJson, selectedValue, selectedValues, timeValue, type StateValues } from './state';

export interface RescheduleValues {
  interviewId: number;
  /** yyyy-mm-dd, wall date in the interview's zone */
  date: string;
  /** HH:mm, wall time in the interview's zone */
  time: string;
  durationMinutes: number;
}

export interface CancelValues {
  interviewId: number;
  notifyCandidates: boolean;
}

function interviewIdFrom(meta: string): number | null {
  const o = safeJson(meta);
  if (o && typeof o === 'object' && 'interviewId' in o) return positiveInt((o as { interviewId: unknown }).interviewId);
  return positiveInt(typeof o === 'number' ? o : meta);
}

export function buildRescheduleView(input_: {
  interviewId: number;
  startsAt: Date;
  timezone: string;
  durationMinutes: number;
  errors?: Record<string, string>;
}): View {
  const start = inZone(input_.startsAt, input_.timezone);
  const blocks: Block[] = [
    context(`Now: ${fmtDateLong(start)} ${fmtTime(start)}. The candidates get an updated invitation and calendar entry; reminders move with the interview.`, 'reschedule_now'),
  ];
  const dateEl: BlockElement = { type: 'datepicker', action_id: RESCHEDULE_IDS.date, initial_date: start.toFormat('yyyy-MM-dd') };
  const timeEl: BlockElement = { type: 'timepicker', action_id: RESCHEDULE_IDS.time, initial_time: start.toFormat('HH:mm') };
  blocks.push(input({ blockId: RESCHEDULE_IDS.date, label: 'New date', element: dateEl }));
  blocks.push(input({ blockId: RESCHEDULE_IDS.time, label: 'New time', element: timeEl, hint: `Time in ${input_.timezone}` }));
  blocks.push(input({ blockId: RESCHEDULE_IDS.duration, label: 'Duration', element: durationElement(RESCHEDULE_IDS.duration, input_.durationMinutes) }));
  const errs = input_.errors ?? {};
  const withErr: Block[] = [];
  for (const b of blocks) {
    withErr.push(b);
    const msg = b.block_id ? errs[b.block_id] : undefined;
    if (msg) withErr.push(context(`⚠️ ${msg.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}`, `${b.block_id}_error`));
  }
  return {
    type: 'modal',
    callback_id: CALLBACK_IDS.reschedule,
    title: plain('Reschedule', 24),
    submit: plain('Reschedule', 24),
    close: plain('Cancel', 24),
    private_metadata: JSON.stringify({ interviewId: input_.interviewId }),
    blocks: withErr,
  };
}

export function parseReschedule(
  stateValues: StateValues,
  privateMetadata: string,
): { ok: true; value: RescheduleValues } | { ok: false; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const interviewId = interviewIdFrom(privateMetadata);
  const date = dateValue(readAction(stateValues, RESCHEDULE_IDS.date));
  if (!date || !DateTime.fromISO(date).isValid) errors[RESCHEDULE_IDS.date] = 'Choose a date.';
  const time = timeValue(readAction(stateValues, RESCHEDULE_IDS.time));
  if (!time) errors[RESCHEDULE_IDS.time] = 'Choose a time.';
  const duration = positiveInt(selectedValue(readAction(stateValues, RESCHEDULE_IDS.duration)));
  if (duration === null || duration > 24 * 60) errors[RESCHEDULE_IDS.duration] = 'Choose how long the interview lasts.';
  if (interviewId === null) errors[RESCHEDULE_IDS.date] = 'This form has expired. Close it and use the card’s button again.';
  if (Object.keys(errors).length) return { ok: false, errors };
  return { ok: true, value: { interviewId: interviewId as number, date: date as string, time: time as string, durationMinutes: duration as number } };
}

export function buildCancelView(input_: { interviewId: number; candidateCount: number }): View {
  const n = input_.candidateCount;
  const notifyOption = { text: plain('Email the candidates a cancellation', 75), value: CANCEL_NOTIFY_VALUE };
  return {
    type: 'modal',
    callback_id: CALLBACK_IDS.cancelInterview,
    title: plain('Cancel interview', 24),
    submit: plain('Cancel interview', 24),
    close: plain('Keep it', 24),
    private_metadata: JSON.stringify({ interviewId: input_.interviewId }),
    blocks: [
      section(
        `Cancel this interview for ${n} candidate${n === 1 ? '' : 's'}? Their invitations are cancelled and no reminders go out.`,
        'cancel_text',
      ),
      input({
        blockId: CANCEL_IDS.notify,
        label: 'Candidates',
        optional: true,
        element: { type: 'checkboxes', action_id: CANCEL_IDS.notify, options: [notifyOption], initial_options: [notifyOption] },
        hint: 'The email carries a calendar cancellation.',
      }),
    ],
  };
}

export function parseCancel(
  stateValues: StateValues,
  privateMetadata: string,
): { ok: true; value: CancelValues } | { ok: false; errors: Record<string, string> } {
  const interviewId = interviewIdFrom(privateMetadata);
  if (interviewId === null) return { ok: false, errors: { [CANCEL_IDS.notify]: 'This form has expired. Close it and use the card’s button again.' } };
  const notifyCandidates = selectedValues(readAction(stateValues, CANCEL_IDS.notify)).includes(CANCEL_NOTIFY_VALUE);
  return { ok: true, value: { interviewId, notifyCandidates } };
}
