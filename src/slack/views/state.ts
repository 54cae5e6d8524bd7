/** Defensive readers for Slack's `view.state.values[block_id][action_id]`. Pure. */

// Slack's state shape is loosely typed by nature; readers below narrow it.
export type StateValues = Record<string, Record<string, any>>;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function readAction(state: unknown, blockId: string, actionId: string = blockId): Record<string, unknown> | null {
  if (!isObject(state)) return null;
  const block = state[blockId];
  if (!isObject(block)) return null;
  const action = block[actionId];
  return isObject(action) ? action : null;
}

export function selectedValue(a: Record<string, unknown> | null): string | null {
  const opt = a?.selected_option;
  if (isObject(opt) && typeof opt.value === 'string' && opt.value !== '') return opt.value;
  return null;
}

export function selectedValues(a: Record<string, unknown> | null): string[] {
  const opts = a?.selected_options;
  if (!Array.isArray(opts)) return [];
  return opts.filter(isObject).map((o) => o.value).filter((v): v is string => typeof v === 'string' && v !== '');
}

export function textValue(a: Record<string, unknown> | null): string | null {
  const v = a?.value;
  return typeof v === 'string' ? v : null;
}

export function dateValue(a: Record<string, unknown> | null): string | null {
  const v = a?.selected_date;
  return typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) ? v : null;
}

export function timeValue(a: Record<string, unknown> | null): string | null {
  const v = a?.selected_time;
  return typeof v === 'string' && /^([01]\d|2[0-3]):[0-5]\d$/.test(v) ? v : null;
}

export function usersValue(a: Record<string, unknown> | null): string[] {
  const v = a?.selected_users;
  return Array.isArray(v) ? v.filter((u): u is string => typeof u === 'string' && u !== '') : [];
}

export function safeJson(s: unknown): unknown {
  if (typeof s !== 'string' || s === '') return null;
  try {
    return JSON.parse(s);
  } catch {
    return null;
  }
}

/** A positive safe integer from a string, or null. */
export function positiveInt(s: unknown): number | null {
  if (typeof s === 'number') return Number.isSafeInteger(s) && s > 0 ? s : null;
  if (typeof s !== 'string' || !/^\d{1,15}$/.test(s)) return null;
  const n = Number(s);
  return Number.isSafeInteger(n) && n > 0 ? n : null;
}
