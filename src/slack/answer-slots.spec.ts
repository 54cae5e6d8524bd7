import fc from 'fast-check';
import { AnswerSlots } from './answer-slots';

describe('AnswerSlots', () => {
  it('lets a burst go at its earliest moment, then one edit per interval', () => {
    const slots = new AnswerSlots(60, 3);
    const at = [1, 2, 3, 4, 5].map((id) => slots.slotFor(id, 1000, 900));
    expect(at).toEqual([1000, 1000, 1000, 2000, 3000]);
  });

  it('puts a later answer of an interview with an edit waiting into that edit', () => {
    const slots = new AnswerSlots(60, 1);
    expect(slots.slotFor(1, 1000, 900)).toBe(1000);
    expect(slots.slotFor(2, 1000, 900)).toBe(2000);
    expect(slots.slotFor(2, 1000, 950)).toBe(2000);
    expect(slots.slotFor(1, 1000, 999)).toBe(1000);
    // Once its moment has come, the interview waits for a new slot.
    expect(slots.slotFor(1, 2000, 1000)).toBe(3000);
  });

  it('spaces nothing once the pace is back within the budget', () => {
    const slots = new AnswerSlots(60, 2);
    expect(slots.slotFor(1, 1000, 0)).toBe(1000);
    expect(slots.slotFor(2, 60_000, 59_000)).toBe(60_000);
    expect(slots.slotFor(3, 60_000, 59_000)).toBe(60_000);
    expect(slots.slotFor(4, 60_000, 59_000)).toBe(61_000);
  });

  it('with 0 a minute, every edit goes at its earliest moment', () => {
    const slots = new AnswerSlots(0);
    for (let id = 1; id <= 100; id++) expect(slots.slotFor(id, 5000, 4000)).toBe(5000);
  });

  it('never gives a moment before the earliest, never lets more than burst + minutes × perMinute start within any stretch, and keeps one moment per waiting interview', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 600 }),
        fc.integer({ min: 1, max: 30 }),
        fc.array(fc.record({ interview: fc.integer({ min: 1, max: 40 }), gap: fc.integer({ min: 0, max: 3000 }), wait: fc.integer({ min: 0, max: 2000 }) }), { maxLength: 300 }),
        (perMinute, burst, answers) => {
          const slots = new AnswerSlots(perMinute, burst);
          let now = 0;
          const given: { interview: number; at: number; now: number }[] = [];
          for (const a of answers) {
            now += a.gap;
            const at = slots.slotFor(a.interview, now + a.wait, now);
            const waiting = given.filter((g) => g.interview === a.interview && g.at > now).pop();
            if (waiting) expect(at).toBe(waiting.at);
            else expect(at).toBeGreaterThanOrEqual(now + a.wait);
            given.push({ interview: a.interview, at, now });
          }
          const distinct = [...new Set(given.map((g) => `${g.interview}@${g.at}`))].map((k) => Number(k.split('@')[1])).sort((x, y) => x - y);
          const interval = 60_000 / perMinute;
          for (let i = 0; i < distinct.length; i++) {
            for (let j = i; j < distinct.length; j++) {
              const span = distinct[j] - distinct[i];
              expect(j - i + 1).toBeLessThanOrEqual(burst + Math.floor(span / interval + 1e-9));
            }
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
