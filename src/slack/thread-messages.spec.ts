import { threadMessages } from './thread-messages';

type Row = { id: number; payload: { text: string } };
const row = (id: number, text: string): Row => ({ id, payload: { text } });
const texts = (groups: Row[][]) => groups.map((g) => g.map((r) => r.payload.text));

describe('threadMessages', () => {
  it('keeps short replies of one interview together, in order', () => {
    expect(texts(threadMessages([row(1, 'a'), row(2, 'b'), row(3, 'c')]))).toEqual([['a', 'b', 'c']]);
  });

  it('starts a new message after 40 lines', () => {
    const groups = threadMessages(Array.from({ length: 85 }, (_, i) => row(i + 1, `line ${i}`)));
    expect(groups.map((g) => g.length)).toEqual([40, 40, 5]);
  });

  it('keeps every message within 4,000 characters and every reply in exactly one message', () => {
    const rows = Array.from({ length: 20 }, (_, i) => row(i + 1, `${i}:` + 'x'.repeat(2100)));
    const groups = threadMessages(rows);
    for (const g of groups) if (g.length > 1) expect(g.reduce((n, r) => n + r.payload.text.length + 1, 0)).toBeLessThanOrEqual(4000);
    expect(groups.flat().map((r) => r.id)).toEqual(rows.map((r) => r.id));
  });

  it('sends a reply longer than the limit on its own', () => {
    expect(texts(threadMessages([row(1, 'short'), row(2, 'y'.repeat(5000)), row(3, 'after')])).map((g) => g.length)).toEqual([1, 1, 1]);
  });
});
