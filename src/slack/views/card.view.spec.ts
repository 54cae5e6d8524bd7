import type { InvitationStatus } from '../../common/domain';
import { checkLimits } from './block-kit-limits';
import { buildCard, buildThreadText, type CardCandidate, type CardModel } from './card.view';
import { CARD_ACTION_IDS } from './ids';

const sketch: CardModel = {
  interviewId: 42,
  type: 'phone',
  projectTitle: 'Backend Engineer Göteborg',
  startsAt: new Date('2026-12-08T09:00:00Z'), // 10:00 in Stockholm
  durationMinutes: 45,
  timezone: 'Europe/Stockholm',
  location: 'Kungsgatan 1, Göteborg',
  recruiterIds: ['U0RITA'],
  status: 'scheduled',
  reminder: { option: 'sms_email', days: 2, dueAt: new Date('2026-12-06T08:00:00Z') },
  candidates: [
    { name: 'Anna Lindqvist', status: 'accepted', answerChannel: 'link', answeredAt: new Date('2026-12-01T13:02:00Z'), note: null, delivery: 'delivered' },
    { name: 'John Carter', status: 'pending', answerChannel: null, answeredAt: null, note: null, delivery: 'delivered' },
    { name: 'Björn Åberg', status: 'new_time_requested', answerChannel: 'sms', answeredAt: new Date('2026-12-01T15:00:00Z'), note: 'kan vi ta torsdag?', delivery: null },
  ],
};

function texts(card: { blocks: any[] }): string[] {
  const out: string[] = [];
  for (const b of card.blocks) {
    if (b.text?.text) out.push(...String(b.text.text).split('\n'));
    if (b.type === 'context') for (const e of b.elements) out.push(...String(e.text).split('\n'));
  }
  return out;
}

function many(n: number): CardCandidate[] {
  const statuses: InvitationStatus[] = ['pending', 'accepted', 'declined', 'new_time_requested', 'withdrawn'];
  return Array.from({ length: n }, (_, i) => ({
    name: `Candidate ${i} ${'Longname'.repeat(5)}`,
    status: statuses[i % statuses.length],
    answerChannel: i % 3 === 0 ? 'sms' : 'link',
    answeredAt: new Date('2026-12-01T13:02:00Z'),
    note: i % 7 === 0 ? 'x'.repeat(400) : null,
    delivery: i % 11 === 0 ? 'bounced' : 'delivered',
  }));
}

describe('buildCard', () => {
  it('renders the SPEC §3a sketch', () => {
    const card = buildCard(sketch);
    const lines = texts(card);
    expect(lines).toEqual([
      '📞 Phone interview · Backend Engineer Göteborg',
      'Tue 8 Dec 2026 · 10:00–10:45 (Stockholm) · Kungsgatan 1, Göteborg',
      'With <@U0RITA> · Reminder: SMS + email, 2 days before (Sun 6 Dec 09:00)',
      '✅ Anna Lindqvist — accepted (link, 14:02)',
      '⏳ John Carter — awaiting answer · 📧 delivered',
      '🔁 Björn Åberg — asks for a new time (SMS: "kan vi ta torsdag?")',
    ]);
    expect(card.blocks[0].type).toBe('header');
    const actions = card.blocks.find((b) => b.type === 'actions') as any;
    expect(actions.elements.map((e: any) => [e.action_id, e.text.text, e.value])).toEqual([
      [CARD_ACTION_IDS.reschedule, 'Reschedule', '42'],
      [CARD_ACTION_IDS.cancel, 'Cancel interview', '42'],
      [CARD_ACTION_IDS.resend, 'Resend invitation', '42'],
    ]);
    expect(actions.elements[1].style).toBe('danger');
    expect(actions.elements[1].confirm).toBeDefined();
    expect(card.text).toContain('Phone interview · Backend Engineer Göteborg · Tue 8 Dec 2026 10:00');
    expect(card.text).not.toContain('\n');
    expect(checkLimits('message', card)).toEqual([]);
  });

  it('shows delivery trouble, other types and zones', () => {
    const card = buildCard({
      ...sketch,
      type: 'info_meeting',
      timezone: 'America/New_York',
      location: null,
      recruiterIds: ['U1', 'U2'],
      reminder: { option: 'none', days: null, dueAt: null },
      candidates: [
        { name: 'A <b>', status: 'pending', answerChannel: null, answeredAt: null, note: null, delivery: 'bounced' },
        { name: 'B', status: 'declined', answerChannel: 'sms', answeredAt: new Date('2026-12-01T13:02:00Z'), note: null, delivery: 'undelivered' },
        { name: 'C', status: 'withdrawn', answerChannel: 'link', answeredAt: null, note: null, delivery: null },
      ],
    });
    const lines = texts(card);
    expect(lines[0]).toBe('ℹ️ Information meeting · Backend Engineer Göteborg');
    expect(lines[1]).toBe('Tue 8 Dec 2026 · 04:00–04:45 (New York)');
    expect(lines[2]).toBe('With <@U1> and <@U2> · Reminder: none');
    expect(lines[3]).toBe('⏳ A &lt;b&gt; — awaiting answer · ⚠️ bounced');
    expect(lines[4]).toBe('❌ B — declined (SMS, 08:02) · ⚠️ undelivered');
    expect(lines[5]).toBe('🚪 C — withdrew the application (link)');
  });

  it('shows the date of an answer from another day when now is given', () => {
    const lines = texts(buildCard(sketch, { now: new Date('2026-12-03T10:00:00Z') }));
    expect(lines).toContain('✅ Anna Lindqvist — accepted (link, 1 Dec 14:02)');
  });

  it('marks a cancelled interview clearly and offers no buttons', () => {
    const card = buildCard({ ...sketch, status: 'cancelled', candidates: sketch.candidates.map((c) => ({ ...c, status: 'cancelled' as const })) });
    const lines = texts(card);
    expect(lines.some((l) => l.startsWith('🚫 *Cancelled*'))).toBe(true);
    expect(card.blocks.some((b) => b.type === 'actions')).toBe(false);
    expect(card.text.startsWith('Cancelled:')).toBe(true);
    expect(checkLimits('message', card)).toEqual([]);
  });

  it('shows bulk progress', () => {
    const card = buildCard({ ...sketch, progress: { sent: 312, total: 500 } });
    expect(texts(card)).toContain('Sending invitations… 312/500 sent');
  });

  it('stays within limits for 50 candidates', () => {
    const card = buildCard({ ...sketch, candidates: many(50), progress: { sent: 10, total: 50 } });
    expect(checkLimits('message', card)).toEqual([]);
    const candidateLines = texts(card).filter((l) => / — /.test(l));
    expect(candidateLines).toHaveLength(50);
    const sections = card.blocks.filter((b) => String(b.block_id).startsWith('card_candidates_'));
    expect(sections.length).toBeGreaterThanOrEqual(2);
    for (const s of sections as any[]) expect(s.text.text.split('\n').length).toBeLessThanOrEqual(25);
  });

  it('stays within limits for 120 and 5000 candidates, summarising the rest', () => {
    const c120 = buildCard({ ...sketch, candidates: many(120) });
    expect(checkLimits('message', c120)).toEqual([]);
    expect(texts(c120).filter((l) => / — /.test(l))).toHaveLength(120);

    const huge = buildCard({ ...sketch, projectTitle: 'P'.repeat(500), location: 'L'.repeat(5000), candidates: many(5000) });
    expect(checkLimits('message', huge)).toEqual([]);
    expect(huge.blocks.length).toBeLessThanOrEqual(50);
    const more = texts(huge).find((l) => l.startsWith('…and '));
    expect(more).toMatch(/^…and \d+ more candidates$/);
    const shown = texts(huge).filter((l) => / — /.test(l)).length;
    expect(Number(/\d+/.exec(more!)![0]) + shown).toBe(5000);
  });
});

describe('buildThreadText', () => {
  it('mentions the recruiters on answers', () => {
    expect(buildThreadText({ kind: 'answer', candidate: 'Anna Lindqvist', status: 'accepted', channel: 'link', recruiterIds: ['U1', 'U2'] })).toBe(
      '✅ Anna Lindqvist accepted (link). <@U1> <@U2>',
    );
    expect(
      buildThreadText({ kind: 'answer', candidate: 'Björn', status: 'new_time_requested', channel: 'sms', raw: 'NY', recruiterIds: ['U1'] }),
    ).toBe('🔁 Björn asks for a new time (SMS: "NY"). <@U1>');
  });

  it('posts free text, escaped', () => {
    expect(buildThreadText({ kind: 'free_text', candidate: 'Anna Lindqvist', text: "I'll be 10 minutes late", recruiterIds: [] })).toBe(
      "💬 Anna Lindqvist (SMS): I'll be 10 minutes late",
    );
    expect(buildThreadText({ kind: 'free_text', candidate: '<!channel>', text: 'a & b <@U999> > c', recruiterIds: ['U1'] })).toBe(
      '💬 &lt;!channel&gt; (SMS): a &amp; b &lt;@U999&gt; &gt; c <@U1>',
    );
  });

  it('reports delivery failures with the reason', () => {
    expect(
      buildThreadText({ kind: 'delivery_failed', candidate: 'Anna Lindqvist', channel: 'email', reason: 'bounced: mailbox full', recruiterIds: ['U1'] }),
    ).toBe('⚠️ An email to Anna Lindqvist was not delivered: bounced: mailbox full. <@U1>');
    expect(buildThreadText({ kind: 'delivery_failed', candidate: 'A', channel: 'sms', reason: 'undelivered', recruiterIds: [] })).toContain('An SMS to A');
  });

  it('records reschedules, cancellations and resends, and never lets a bogus id become a mention', () => {
    expect(buildThreadText({ kind: 'rescheduled', by: 'U0RITA', detail: 'Now Wed 9 Dec 2026 11:00' })).toBe(
      '🗓️ <@U0RITA> rescheduled the interview: Now Wed 9 Dec 2026 11:00',
    );
    expect(buildThreadText({ kind: 'cancelled', by: 'Rita', detail: '' })).toBe('🚫 Rita cancelled the interview.');
    expect(buildThreadText({ kind: 'resent', by: 'U0RITA', detail: 'to 3 candidates' })).toContain('📨 <@U0RITA> resent the invitation');
    expect(buildThreadText({ kind: 'answer', candidate: 'A', status: 'declined', channel: 'link', recruiterIds: ['<!here>'] })).toBe('❌ A declined (link).');
  });
});
