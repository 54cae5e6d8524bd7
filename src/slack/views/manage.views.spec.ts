import { checkLimits } from './block-kit-limits';
import { CALLBACK_IDS, CANCEL_IDS, RESCHEDULE_IDS } from './ids';
import { buildCancelView, buildRescheduleView, parseCancel, parseReschedule } from './manage.views';

describe('reschedule modal', () => {
  const v = buildRescheduleView({ interviewId: 42, startsAt: new Date('2026-12-08T09:00:00Z'), timezone: 'Europe/Stockholm', durationMinutes: 45 });

  it('starts from the current time in the interview zone', () => {
    expect(v.callback_id).toBe(CALLBACK_IDS.reschedule);
    const by = (id: string) => v.blocks.find((b) => b.block_id === id) as any;
    expect(by(RESCHEDULE_IDS.date).element.initial_date).toBe('2026-12-08');
    expect(by(RESCHEDULE_IDS.time).element.initial_time).toBe('10:00');
    expect(by(RESCHEDULE_IDS.time).hint.text).toBe('Time in Europe/Stockholm');
    expect(by(RESCHEDULE_IDS.duration).element.initial_option.value).toBe('45');
    expect(checkLimits('modal', v)).toEqual([]);
  });

  it('parses a submission', () => {
    const state = {
      [RESCHEDULE_IDS.date]: { [RESCHEDULE_IDS.date]: { type: 'datepicker', selected_date: '2026-12-10' } },
      [RESCHEDULE_IDS.time]: { [RESCHEDULE_IDS.time]: { type: 'timepicker', selected_time: '13:30' } },
      [RESCHEDULE_IDS.duration]: { [RESCHEDULE_IDS.duration]: { type: 'static_select', selected_option: { value: '60' } } },
    };
    expect(parseReschedule(state, v.private_metadata!)).toEqual({
      ok: true,
      value: { interviewId: 42, date: '2026-12-10', time: '13:30', durationMinutes: 60 },
    });
    expect(parseReschedule({}, v.private_metadata!)).toEqual({
      ok: false,
      errors: { [RESCHEDULE_IDS.date]: 'Choose a date.', [RESCHEDULE_IDS.time]: 'Choose a time.', [RESCHEDULE_IDS.duration]: 'Choose how long the interview lasts.' },
    });
    expect(parseReschedule(state, '42')).toMatchObject({ ok: true, value: { interviewId: 42 } });
  });
});

describe('cancel modal', () => {
  const v = buildCancelView({ interviewId: 42, candidateCount: 3 });

  it('asks whether to email the candidates, yes by default', () => {
    expect(v.callback_id).toBe(CALLBACK_IDS.cancelInterview);
    const notify = v.blocks.find((b) => b.block_id === CANCEL_IDS.notify) as any;
    expect(notify.element.options[0].text.text).toBe('Email the candidates a cancellation');
    expect(notify.element.initial_options).toHaveLength(1);
    expect(JSON.stringify(v.blocks)).toContain('3 candidates');
    expect(checkLimits('modal', v)).toEqual([]);
  });

  it('parses a submission', () => {
    const checked = { [CANCEL_IDS.notify]: { [CANCEL_IDS.notify]: { type: 'checkboxes', selected_options: [{ value: 'notify' }] } } };
    const unchecked = { [CANCEL_IDS.notify]: { [CANCEL_IDS.notify]: { type: 'checkboxes', selected_options: [] } } };
    expect(parseCancel(checked, v.private_metadata!)).toEqual({ ok: true, value: { interviewId: 42, notifyCandidates: true } });
    expect(parseCancel(unchecked, v.private_metadata!)).toEqual({ ok: true, value: { interviewId: 42, notifyCandidates: false } });
    expect(parseCancel(checked, 'junk')).toMatchObject({ ok: false });
  });
});
