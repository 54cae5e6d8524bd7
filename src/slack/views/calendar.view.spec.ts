import type { InvitationStatus } from '../../common/domain';
import { checkLimits } from './block-kit-limits';
import { buildCalendarBlocks, buildCalendarText, buildHomeView, type CalendarItem } from './calendar.view';

const now = new Date('2026-12-07T08:00:00Z');

const items: CalendarItem[] = [
  {
    interviewId: 2,
    type: 'video',
    projectTitle: 'Store Manager Malmö',
    startsAt: new Date('2026-12-08T13:00:00Z'),
    timezone: 'Europe/Stockholm',
    candidates: [{ name: 'John Carter', status: 'pending' }],
    nextReminder: null,
  },
  {
    interviewId: 1,
    type: 'phone',
    projectTitle: 'Backend Engineer Göteborg',
    startsAt: new Date('2026-12-08T09:00:00Z'),
    timezone: 'Europe/Stockholm',
    candidates: [
      { name: 'Anna Lindqvist', status: 'accepted' },
      { name: 'Björn <Åberg>', status: 'new_time_requested' },
    ],
    nextReminder: new Date('2026-12-06T08:00:00Z'),
  },
  {
    interviewId: 3,
    type: 'group',
    projectTitle: 'Trainee',
    startsAt: new Date('2026-12-14T09:00:00Z'),
    timezone: 'Europe/Stockholm',
    candidates: Array.from({ length: 30 }, (_, i) => ({ name: `C${i}`, status: (i % 2 ? 'accepted' : 'pending') as InvitationStatus })),
    nextReminder: new Date('2026-12-13T08:00:00Z'),
  },
];

const all = (blocks: any[]) => blocks.map((b) => b.text?.text ?? b.elements?.map((e: any) => e.text).join(' ') ?? '').join('\n');

describe('calendar', () => {
  it('lists interviews by day with statuses', () => {
    const blocks = buildCalendarBlocks(items, now);
    const text = all(blocks);
    expect(text).toContain('*Tomorrow · Tue 8 Dec*');
    expect(text.indexOf('Backend Engineer')).toBeLessThan(text.indexOf('Store Manager'));
    expect(text).toContain('*10:00* (Stockholm) 📞 Phone interview · Backend Engineer Göteborg');
    expect(text).toContain('✅ Anna Lindqvist · 🔁 Björn &lt;Åberg&gt;');
    expect(text).toContain('⏰ Next reminder Sun 6 Dec 09:00');
    expect(text).toContain('*Mon 14 Dec*');
    expect(text).toContain('30 candidates: ⏳ 15 awaiting answer · ✅ 15 accepted');
    expect(checkLimits('message', { text: buildCalendarText(items), blocks })).toEqual([]);
  });

  it('has an empty state', () => {
    const blocks = buildCalendarBlocks([], now);
    expect(all(blocks)).toContain('No interviews in the next 14 days.');
    expect(buildCalendarText([])).toBe('No interviews in the next 14 days.');
    const home = buildHomeView([], now);
    expect(home.type).toBe('home');
    expect(all(home.blocks)).toContain('No interviews in the next 14 days.');
    expect(checkLimits('home', home)).toEqual([]);
  });

  it('stays within limits with many interviews', () => {
    const lots: CalendarItem[] = Array.from({ length: 1500 }, (_, i) => ({
      interviewId: i,
      type: 'in_person',
      projectTitle: `Project ${'X'.repeat(200)} ${i}`,
      startsAt: new Date(now.getTime() + (i + 1) * 10 * 60_000),
      timezone: 'Europe/Stockholm',
      candidates: [{ name: 'N'.repeat(100), status: 'pending' }],
      nextReminder: new Date(now.getTime() + i * 60_000),
    }));
    const blocks = buildCalendarBlocks(lots, now);
    expect(checkLimits('message', { text: buildCalendarText(lots), blocks })).toEqual([]);
    const home = buildHomeView(lots, now);
    expect(checkLimits('home', home)).toEqual([]);
    const more = all(home.blocks).match(/…and (\d+) more interviews/);
    expect(more).not.toBeNull();
    const shown = (all(home.blocks).match(/🤝/g) ?? []).length;
    expect(shown + Number(more![1])).toBe(1500);
  });
});
