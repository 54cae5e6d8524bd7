import { IANAZone } from 'luxon';

/** Zone offsets change at most once in a span this long (in practice months apart). */
const SPAN_MS = 15 * 60_000;
const SPANS_PER_ZONE = 50_000;

type OffsetFn = (this: IANAZone, ts: number) => number;
const ORIGINAL = Symbol('kallelse.originalOffset');

/**
 * Luxon works out a named zone's offset with Intl's formatToParts for every DateTime it makes in that zone (about
 * 10 µs each; 6 % of the app's CPU under the Slack bench, where every view, card, email and reminder plan formats
 * dates in Europe/Stockholm). This remembers offsets per zone and 15-minute span of UTC time. A span is remembered
 * only when its first and last millisecond have the same offset; since a zone's offset never changes twice within
 * 15 minutes, that offset then holds for every instant of the span. Spans with a change in them are worked out
 * each time, as before. Idempotent.
 */
export function memoiseZoneOffsets(): void {
  const proto = IANAZone.prototype as unknown as { offset: OffsetFn; [ORIGINAL]?: OffsetFn };
  if (proto[ORIGINAL]) return;
  const original = proto.offset;
  proto[ORIGINAL] = original;
  const byZone = new Map<string, Map<number, number>>();
  proto.offset = function (this: IANAZone, ts: number): number {
    if (!Number.isFinite(ts)) return original.call(this, ts);
    const span = Math.floor(ts / SPAN_MS);
    let spans = byZone.get(this.name);
    if (!spans) byZone.set(this.name, (spans = new Map()));
    const known = spans.get(span);
    if (known !== undefined) return known;
    const start = span * SPAN_MS;
    const first = original.call(this, start);
    if (first !== original.call(this, start + SPAN_MS - 1)) return original.call(this, ts);
    if (spans.size >= SPANS_PER_ZONE) spans.clear();
    spans.set(span, first);
    return first;
  };
}
