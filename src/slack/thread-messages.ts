/** Replies of one interview due together go out as one message of at most this many lines and characters (Slack truncates long messages and refuses those over 40,000). */
export const MAX_THREAD_LINES = 40;
export const MAX_THREAD_CHARS = 4000;

/** Thread replies, in order, split into messages within MAX_THREAD_LINES and MAX_THREAD_CHARS (a longer single reply goes alone). */
export function threadMessages<T extends { payload: Record<string, unknown> }>(rows: T[]): T[][] {
  const out: T[][] = [];
  let current: T[] = [];
  let chars = 0;
  for (const r of rows) {
    const len = String(r.payload.text ?? '').length + 1;
    if (current.length && (current.length >= MAX_THREAD_LINES || chars + len > MAX_THREAD_CHARS)) {
      out.push(current);
      current = [];
      chars = 0;
    }
    current.push(r);
    chars += len;
  }
  if (current.length) out.push(current);
  return out;
}
