import type { Language } from '../../common/domain';
import { checkLimits } from './block-kit-limits';
import type { Block, View } from './block-kit';
import { CALLBACK_IDS, STEP1_IDS, STEP2_IDS, candidatesBlockId, contentId, subjectId } from './ids';
import {
  buildInviteStep1View,
  buildInviteStep2View,
  decodeStep1,
  encodeStep1,
  parseStep1,
  parseStep2,
  type Step1Candidate,
  type Step1Input,
  type Step1Values,
  type Step2Input,
} from './invite.views';

const projects = [
  { id: 12, title: 'Backend Engineer Göteborg' },
  { id: 13, title: 'Store Manager Malmö' },
];

const candidates: Step1Candidate[] = [
  { applicationId: 101, name: 'Anna Lindqvist', language: 'sv', hasMobile: true, status: 'active' },
  { applicationId: 102, name: 'John Carter', language: 'en', hasMobile: false, status: 'active' },
  { applicationId: 103, name: 'Björn Åberg', language: 'sv', hasMobile: true, status: 'invited' },
];

function manyCandidates(n: number): Step1Candidate[] {
  return Array.from({ length: n }, (_, i) => ({
    applicationId: 1000 + i,
    name: `Candidate Number ${i} With A Rather Long Double-Barrelled Surname-Andersson-Lindqvist`,
    language: (['sv', 'en', 'nb', 'da', 'fi'] as Language[])[i % 5],
    hasMobile: i % 2 === 0,
    status: 'active',
  }));
}

function step1Input(over: Partial<Step1Input> = {}): Step1Input {
  return {
    projects,
    selectedProjectId: 12,
    candidates,
    inviterUserId: 'U0RITA',
    projectTimezone: 'Europe/Stockholm',
    ...over,
  };
}

const blockIds = (v: View) => v.blocks.map((b) => b.block_id);
const byId = (v: View, id: string) => v.blocks.find((b) => b.block_id === id) as Block & Record<string, any>;
const allText = (v: { blocks: Block[] }) => JSON.stringify(v.blocks);

describe('invite step 1 view', () => {
  it('asks in the order a recruiter thinks, with sensible defaults', () => {
    const v = buildInviteStep1View(step1Input());
    expect(v.type).toBe('modal');
    expect(v.callback_id).toBe(CALLBACK_IDS.inviteStep1);
    expect(v.title?.text).toBe('Invite to interview');
    expect(v.submit?.text).toBe('Next');
    expect(blockIds(v)).toEqual(['project', candidatesBlockId(12, false), 'type', 'date', 'time', 'recruiters', 'duration', 'location']);

    const project = byId(v, 'project');
    expect(project.dispatch_action).toBe(true);
    expect(project.element.initial_option.value).toBe('12');

    const cand = byId(v, candidatesBlockId(12, false));
    expect(cand.element.type).toBe('multi_static_select');
    expect(cand.element.action_id).toBe(STEP1_IDS.candidates);
    expect(cand.element.options.map((o: any) => o.text.text)).toEqual([
      'Anna Lindqvist · sv · 📱',
      'John Carter · en',
      'Björn Åberg · sv · 📱 · invited',
    ]);

    expect(byId(v, 'time').hint.text).toBe('Time in Europe/Stockholm');
    expect(byId(v, 'date').element.type).toBe('datepicker');
    expect(byId(v, 'time').element.type).toBe('timepicker');
    expect(byId(v, 'recruiters').element.type).toBe('multi_users_select');
    expect(byId(v, 'recruiters').element.initial_users).toEqual(['U0RITA']);
    const duration = byId(v, 'duration').element;
    expect(duration.options.map((o: any) => o.value)).toEqual(['15', '30', '45', '60', '90', '120']);
    expect(duration.initial_option.value).toBe('45');
    expect(byId(v, 'location').optional).toBe(true);
    expect(byId(v, 'location').element.multiline).toBe(true);
    expect(JSON.parse(v.private_metadata!)).toEqual({ projectId: 12 });
    expect(checkLimits('modal', v)).toEqual([]);
  });

  it('says to choose a project first when none is chosen', () => {
    const v = buildInviteStep1View(step1Input({ selectedProjectId: null, candidates: [] }));
    const hint = byId(v, 'candidates');
    expect(hint.type).toBe('context');
    expect(hint.elements[0].text).toContain('Choose a project first');
    expect(byId(v, 'project').element.initial_option).toBeUndefined();
    expect(JSON.parse(v.private_metadata!)).toEqual({ projectId: null });
    expect(checkLimits('modal', v)).toEqual([]);
  });

  it('keeps the defaults it is given and shows errors under their fields', () => {
    const v = buildInviteStep1View(
      step1Input({
        defaults: { applicationIds: [102], type: 'video', date: '2026-12-08', time: '10:00', recruiterIds: ['U1', 'U2'], durationMinutes: 75, location: 'Teams' },
        errors: { candidates: 'Choose at least one candidate.', time: 'That time has passed.' },
      }),
    );
    const cand = byId(v, candidatesBlockId(12, false));
    expect(cand.element.initial_options.map((o: any) => o.value)).toEqual(['102']);
    expect(byId(v, 'type').element.initial_option.value).toBe('video');
    expect(byId(v, 'date').element.initial_date).toBe('2026-12-08');
    expect(byId(v, 'time').element.initial_time).toBe('10:00');
    expect(byId(v, 'recruiters').element.initial_users).toEqual(['U1', 'U2']);
    expect(byId(v, 'duration').element.initial_option.value).toBe('75');
    expect(byId(v, 'location').element.initial_value).toBe('Teams');
    const ids = blockIds(v);
    expect(ids[ids.indexOf(candidatesBlockId(12, false)) + 1]).toBe(`${candidatesBlockId(12, false)}_error`);
    expect(ids[ids.indexOf('time') + 1]).toBe('time_error');
    expect(allText(v)).toContain('That time has passed.');
    expect(checkLimits('modal', v)).toEqual([]);
  });

  it('stays within limits for a 60-candidate project (static select)', () => {
    const v = buildInviteStep1View(step1Input({ candidates: manyCandidates(60) }));
    const cand = byId(v, candidatesBlockId(12, false));
    expect(cand.element.options).toHaveLength(60);
    expect(cand.element.options.every((o: any) => o.text.text.length <= 75)).toBe(true);
    expect(cand.element.options[0].text.text).toMatch(/… · sv · 📱$/);
    expect(checkLimits('modal', v)).toEqual([]);
  });

  it('switches to an external select for a 150-candidate project', () => {
    const many = manyCandidates(150);
    const v = buildInviteStep1View(step1Input({ candidates: many, defaults: { applicationIds: [1000, 1149] } }));
    const cand = byId(v, candidatesBlockId(12, true));
    expect(cand.element.type).toBe('multi_external_select');
    expect(cand.element.action_id).toBe('candidates');
    expect(cand.element.min_query_length).toBe(0);
    expect(cand.element.options).toBeUndefined();
    expect(cand.element.initial_options.map((o: any) => o.value)).toEqual(['1000', '1149']);
    expect(checkLimits('modal', v)).toEqual([]);
  });

  it('switches to an external project select beyond 100 projects', () => {
    const lots = Array.from({ length: 150 }, (_, i) => ({ id: i + 1, title: `Project ${i + 1}` }));
    const v = buildInviteStep1View(step1Input({ projects: lots, selectedProjectId: 7 }));
    expect(byId(v, 'project').element.type).toBe('external_select');
    expect(byId(v, 'project').element.initial_option.value).toBe('7');
    expect(checkLimits('modal', v)).toEqual([]);
  });
});

/** Slack's view.state.values for a submission. */
function step1State(over: Record<string, unknown> = {}, candidatesBlock = candidatesBlockId(12, false)) {
  const state: Record<string, Record<string, any>> = {
    project: { project: { type: 'static_select', selected_option: { text: { type: 'plain_text', text: 'Backend' }, value: '12' } } },
    [candidatesBlock]: {
      candidates: { type: 'multi_static_select', selected_options: [{ value: '101' }, { value: '103' }] },
    },
    type: { type: { type: 'static_select', selected_option: { value: 'phone' } } },
    date: { date: { type: 'datepicker', selected_date: '2026-12-08' } },
    time: { time: { type: 'timepicker', selected_time: '10:00' } },
    recruiters: { recruiters: { type: 'multi_users_select', selected_users: ['U0RITA', 'U0BO'] } },
    duration: { duration: { type: 'static_select', selected_option: { value: '45' } } },
    location: { location: { type: 'plain_text_input', value: '  Kungsgatan 1, Göteborg ' } },
  };
  for (const [k, v] of Object.entries(over)) {
    if (v === undefined) delete state[k];
    else state[k] = v as Record<string, any>;
  }
  return state;
}

describe('parseStep1', () => {
  it('reads what Slack sends', () => {
    const r = parseStep1(step1State(), JSON.stringify({ projectId: 12 }));
    expect(r).toEqual({
      ok: true,
      value: {
        projectId: 12,
        applicationIds: [101, 103],
        type: 'phone',
        date: '2026-12-08',
        time: '10:00',
        recruiterIds: ['U0RITA', 'U0BO'],
        durationMinutes: 45,
        location: 'Kungsgatan 1, Göteborg',
      },
    });
  });

  it('reads an external candidate select too', () => {
    const r = parseStep1(step1State({}, candidatesBlockId(12, true)), '{"projectId":12}');
    expect(r.ok && r.value.applicationIds).toEqual([101, 103]);
  });

  it('treats an empty location as none', () => {
    const r = parseStep1(step1State({ location: { location: { type: 'plain_text_input', value: null } } }), '{"projectId":12}');
    expect(r.ok && r.value.location).toBeNull();
  });

  it('names every missing field in plain words, on its block', () => {
    const state = step1State({
      [candidatesBlockId(12, false)]: { candidates: { type: 'multi_static_select', selected_options: [] } },
      type: { type: { type: 'static_select', selected_option: null } },
      date: { date: { type: 'datepicker', selected_date: null } },
      time: undefined,
      recruiters: { recruiters: { selected_users: [] } },
    });
    const r = parseStep1(state, '{"projectId":12}');
    expect(r).toEqual({
      ok: false,
      errors: {
        [candidatesBlockId(12, false)]: 'Choose at least one candidate.',
        type: 'Choose the type of interview.',
        date: 'Choose a date.',
        time: 'Choose a time.',
        recruiters: 'Choose at least one recruiter.',
      },
    });
  });

  it('asks for a project when none is chosen, and survives garbage', () => {
    expect(parseStep1({}, '')).toMatchObject({ ok: false, errors: { project: 'Choose a project.' } });
    expect(parseStep1(null as any, 'not json')).toMatchObject({ ok: false });
  });

  it('refuses a candidate list that belongs to another project (stale view)', () => {
    const state = step1State({ project: { project: { selected_option: { value: '13' } } } });
    const r = parseStep1(state, '{"projectId":12}');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.errors.project).toMatch(/still loading/);
  });

  it('round-trips the defaults of a built view', () => {
    const values: Step1Values = {
      projectId: 12,
      applicationIds: [102],
      type: 'group',
      date: '2027-01-04',
      time: '08:30',
      recruiterIds: ['U1'],
      durationMinutes: 90,
      location: null,
    };
    const v = buildInviteStep1View(step1Input({ defaults: values }));
    // simulate Slack: each input's initial value becomes its state
    const state: Record<string, Record<string, any>> = {};
    for (const b of v.blocks as any[]) {
      if (b.type !== 'input') continue;
      const e = b.element;
      state[b.block_id] = {
        [e.action_id]: {
          type: e.type,
          selected_option: e.initial_option ?? null,
          selected_options: e.initial_options ?? [],
          selected_date: e.initial_date ?? null,
          selected_time: e.initial_time ?? null,
          selected_users: e.initial_users ?? [],
          value: e.initial_value ?? null,
        },
      };
    }
    expect(parseStep1(state, v.private_metadata!)).toEqual({ ok: true, value: values });
  });
});

const step1: Step1Values = {
  projectId: 12,
  applicationIds: [101, 102, 103],
  type: 'phone',
  date: '2026-12-08',
  time: '10:00',
  recruiterIds: ['U0RITA'],
  durationMinutes: 45,
  location: 'Kungsgatan 1, Göteborg',
};

function step2Input(over: Partial<Step2Input> = {}): Step2Input {
  return {
    step1,
    projectTitle: 'Backend Engineer Göteborg',
    languages: ['sv', 'en'],
    senderEmail: 'jobs@example.se',
    templates: {
      sv: { subject: 'Inbjudan till intervju', content: 'Hej {candidate_first_name}!\n{confirmlink}' },
      en: { subject: 'Interview invitation', content: 'Hi {candidate_first_name}!' },
    },
    reminderDefaults: { subject: 'Påminnelse', content: 'Välkommen {interview_date}', signature: 'Rita' },
    confirmLinkDefault: true,
    smsAccess: true,
    candidatesWithoutMobile: ['John Carter'],
    allowedReminderDays: [1, 2, 3, 5, 7],
    reminderDaysMessage: null,
    ...over,
  };
}

describe('invite step 2 view', () => {
  it('shows the email per language, the confirm-link option and the reminder', () => {
    const v = buildInviteStep2View(step2Input());
    expect(v.callback_id).toBe(CALLBACK_IDS.inviteStep2);
    expect(v.title?.text).toBe('Invite · email');
    expect(v.submit?.text).toBe('Send');
    const text = allText(v);
    expect(text).toContain('Backend Engineer Göteborg');
    expect(text).toContain('Email in Svenska');
    expect(text).toContain('Email in English');
    expect(byId(v, 'action').element.initial_option.value).toBe('send');
    expect(byId(v, 'sender').element.initial_value).toBe('jobs@example.se');
    expect(byId(v, subjectId('sv')).element.initial_value).toBe('Inbjudan till intervju');
    expect(byId(v, contentId('en')).element.initial_value).toBe('Hi {candidate_first_name}!');
    expect(byId(v, contentId('sv')).hint.text).toContain('{confirmlink}');
    expect(byId(v, contentId('sv')).hint.text).toContain('{candidate_first_name}');
    const confirm = byId(v, 'confirm_link').element;
    expect(confirm.options[0].text.text).toBe('Insert a link where the candidate can accept or decline');
    expect(confirm.initial_options).toHaveLength(1);
    expect(byId(v, 'reminder_option').element.options.map((o: any) => o.value)).toEqual(['none', 'email', 'sms', 'sms_email']);
    expect(byId(v, 'reminder_option').element.options.map((o: any) => o.text.text)).toContain('SMS and email reminder');
    expect(byId(v, 'reminder_days').element.options.map((o: any) => o.value)).toEqual(['1', '2', '3', '5', '7']);
    expect(byId(v, 'reminder_subject').element.initial_value).toBe('Påminnelse');
    expect(byId(v, 'reminder_signature').element.initial_value).toBe('Rita');
    expect(decodeStep1(v.private_metadata!)).toEqual(step1);
    expect(checkLimits('modal', v)).toEqual([]);
  });

  it('offers no SMS reminder without SMS access', () => {
    const v = buildInviteStep2View(step2Input({ smsAccess: false, values: { reminderOption: 'sms' } }));
    const opts = byId(v, 'reminder_option').element;
    expect(opts.options.map((o: any) => o.value)).toEqual(['none', 'email']);
    expect(opts.initial_option.value).toBe('none');
    expect(allText(v)).not.toContain('SMS reminder"');
    expect(checkLimits('modal', v)).toEqual([]);
  });

  it('warns by name about candidates without a mobile number', () => {
    const v = buildInviteStep2View(step2Input({ candidatesWithoutMobile: ['Anna Lindqvist', 'John <Carter>'] }));
    const w = byId(v, 'no_mobile_warning');
    expect(w.elements[0].text).toBe(
      '⚠️ No mobile number for Anna Lindqvist, John &lt;Carter&gt;: they will get no SMS reminder (email where chosen).',
    );
    const none = buildInviteStep2View(step2Input({ candidatesWithoutMobile: [] }));
    expect(byId(none, 'no_mobile_warning')).toBeUndefined();
  });

  it('offers only the possible days, and says why when none is possible', () => {
    const some = buildInviteStep2View(step2Input({ allowedReminderDays: [1, 2], reminderDaysMessage: 'The interview is in 2 days: at most 2 days before.' }));
    expect(byId(some, 'reminder_days').element.options.map((o: any) => o.value)).toEqual(['1', '2']);
    expect(byId(some, 'reminder_days').hint.text).toContain('at most 2 days');
    const none = buildInviteStep2View(step2Input({ allowedReminderDays: [], reminderDaysMessage: 'the interview is today.' }));
    expect(byId(none, 'reminder_days').type).toBe('context');
    expect(byId(none, 'reminder_days').elements[0].text).toBe('No reminder is possible: the interview is today.');
    expect(checkLimits('modal', some)).toEqual([]);
    expect(checkLimits('modal', none)).toEqual([]);
  });

  it('keeps private_metadata small for 500 candidates and stays within limits with 5 languages', () => {
    const big: Step1Values = { ...step1, applicationIds: Array.from({ length: 500 }, (_, i) => 100000 + i * 3), location: 'x'.repeat(1000) };
    const long = 'Lorem ipsum {candidate_first_name} '.repeat(200);
    const v = buildInviteStep2View(
      step2Input({
        step1: big,
        languages: ['sv', 'en', 'nb', 'da', 'fi'],
        templates: { sv: { subject: 'S'.repeat(400), content: long }, en: { subject: 'E', content: long } },
        candidatesWithoutMobile: Array.from({ length: 300 }, (_, i) => `Person ${i}`),
      }),
    );
    expect(v.private_metadata!.length).toBeLessThanOrEqual(3000);
    expect(decodeStep1(v.private_metadata!)).toEqual(big);
    expect(byId(v, 'no_mobile_warning').elements[0].text).toContain('and 280 more');
    expect(checkLimits('modal', v)).toEqual([]);
  });
});

function step2State(over: Record<string, unknown> = {}) {
  const state: Record<string, Record<string, any>> = {
    action: { action: { type: 'radio_buttons', selected_option: { value: 'send' } } },
    sender: { sender: { type: 'plain_text_input', value: ' jobs@example.se ' } },
    subject_sv: { subject_sv: { type: 'plain_text_input', value: 'Inbjudan' } },
    content_sv: { content_sv: { type: 'plain_text_input', value: 'Hej {candidate_first_name}' } },
    subject_en: { subject_en: { type: 'plain_text_input', value: 'Invitation' } },
    content_en: { content_en: { type: 'plain_text_input', value: 'Hi' } },
    confirm_link: { confirm_link: { type: 'checkboxes', selected_options: [{ value: 'confirm_link' }] } },
    reminder_option: { reminder_option: { type: 'static_select', selected_option: { value: 'sms_email' } } },
    reminder_days: { reminder_days: { type: 'static_select', selected_option: { value: '2' } } },
    reminder_subject: { reminder_subject: { type: 'plain_text_input', value: 'Påminnelse' } },
    reminder_content: { reminder_content: { type: 'plain_text_input', value: 'Välkommen' } },
    reminder_signature: { reminder_signature: { type: 'plain_text_input', value: null } },
  };
  for (const [k, v] of Object.entries(over)) {
    if (v === undefined) delete state[k];
    else state[k] = v as Record<string, any>;
  }
  return state;
}

describe('parseStep2', () => {
  const meta = buildInviteStep2View(step2Input()).private_metadata!;

  it('reads what Slack sends, with step 1 from private_metadata', () => {
    const r = parseStep2(step2State(), meta);
    expect(r).toEqual({
      ok: true,
      step1,
      value: {
        sendEmail: true,
        senderEmail: 'jobs@example.se',
        templates: { sv: { subject: 'Inbjudan', content: 'Hej {candidate_first_name}' }, en: { subject: 'Invitation', content: 'Hi' } },
        confirmLink: true,
        reminderOption: 'sms_email',
        reminderDays: 2,
        reminderSubject: 'Påminnelse',
        reminderContent: 'Välkommen',
        reminderSignature: '',
      },
    });
  });

  it('round-trips the initial values of a built view', () => {
    const v = buildInviteStep2View(step2Input({ values: { reminderOption: 'email', reminderDays: 3, sendEmail: false, confirmLink: false } }));
    const state: Record<string, Record<string, any>> = {};
    for (const b of v.blocks as any[]) {
      if (b.type !== 'input') continue;
      const e = b.element;
      state[b.block_id] = {
        [e.action_id]: { type: e.type, selected_option: e.initial_option ?? null, selected_options: e.initial_options ?? [], value: e.initial_value ?? null },
      };
    }
    const r = parseStep2(state, v.private_metadata!);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.step1).toEqual(step1);
    expect(r.value).toMatchObject({
      sendEmail: false,
      senderEmail: 'jobs@example.se',
      confirmLink: false,
      reminderOption: 'email',
      reminderDays: 3,
      reminderSubject: 'Påminnelse',
      reminderSignature: 'Rita',
    });
    expect(r.value.templates.sv?.subject).toBe('Inbjudan till intervju');
  });

  it('checks the sender, the texts when sending and the reminder days', () => {
    const r = parseStep2(
      step2State({
        sender: { sender: { value: 'not-an-address' } },
        subject_en: { subject_en: { value: '  ' } },
        reminder_days: { reminder_days: { selected_option: null } },
        reminder_subject: { reminder_subject: { value: '' } },
      }),
      meta,
    );
    expect(r).toEqual({
      ok: false,
      errors: {
        sender: 'Enter a valid sender address, like recruiting@example.com.',
        subject_en: 'Write a subject for the English email.',
        reminder_days: 'Choose how many days before the interview the reminder goes out.',
        reminder_subject: 'Write a subject for the reminder email.',
      },
    });
  });

  it("does not need texts when the email is not sent, nor days without a reminder", () => {
    const r = parseStep2(
      step2State({
        action: { action: { selected_option: { value: 'dont_send' } } },
        subject_sv: { subject_sv: { value: '' } },
        reminder_option: { reminder_option: { selected_option: { value: 'none' } } },
      }),
      meta,
    );
    expect(r.ok).toBe(true);
    expect(r.ok && r.value.sendEmail).toBe(false);
    expect(r.ok && r.value.reminderDays).toBeNull();
  });

  it('refuses days that are no longer possible, and a reminder when none is', () => {
    const some = buildInviteStep2View(step2Input({ allowedReminderDays: [1] })).private_metadata!;
    expect(parseStep2(step2State(), some)).toMatchObject({ ok: false, errors: { reminder_days: 'Choose one of: 1 day before.' } });
    const none = buildInviteStep2View(step2Input({ allowedReminderDays: [] })).private_metadata!;
    expect(parseStep2(step2State({ reminder_days: undefined }), none)).toMatchObject({ ok: false, errors: { reminder_option: expect.stringContaining('No reminder is possible') } });
  });

  it('says the form expired when private_metadata is not step 1', () => {
    expect(parseStep2(step2State(), '{"projectId":12}')).toMatchObject({ ok: false, errors: { [STEP2_IDS.action]: expect.stringContaining('expired') } });
  });
});

describe('step 1 metadata', () => {
  it('encodes ids compactly and refuses too many candidates for one modal', () => {
    const ids = Array.from({ length: 50 }, (_, i) => 5_000_000 + i * 17);
    const v = { ...step1, applicationIds: ids };
    expect(decodeStep1(encodeStep1(v))).toEqual(v);
    expect(encodeStep1(v).length).toBeLessThan(400);

    const sparse = Array.from({ length: 800 }, (_, i) => 1 + i * 99_991);
    const state = step1State({
      [candidatesBlockId(12, true)]: { candidates: { selected_options: sparse.map((n) => ({ value: String(n) })) } },
      [candidatesBlockId(12, false)]: undefined,
    });
    const r = parseStep1(state, '{"projectId":12}');
    expect(r).toMatchObject({ ok: false, errors: { [candidatesBlockId(12, true)]: expect.stringContaining('too many') } });
  });
});
