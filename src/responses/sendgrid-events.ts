import { emailDeliveryStatus } from './delivery-status.rules';

/** One SendGrid delivery event that can be applied: the status to store and how to find its message. */
export interface EmailEvent {
  status: string;
  /** From the custom_args the app sends with every email. */
  outboxId: number | null;
  /** sg_message_id without its filter suffix: the X-Message-Id SendGrid answered the send with. */
  providerMessageId: string | null;
  reason: string | null;
}

/** An item of the batch that was not applied: malformed (not an object, a field of the wrong type, no id) or an event that is not tracked. */
export interface SkippedEvent {
  index: number;
  malformed: boolean;
  why: string;
}

type Field<T> = { ok: true; value: T | null } | { ok: false };

function own(item: object, key: string): unknown {
  return Object.hasOwn(item, key) ? (item as Record<string, unknown>)[key] : undefined;
}

function text(item: object, key: string): Field<string> {
  const v = own(item, key);
  if (v === undefined || v === null || v === '') return { ok: true, value: null };
  return typeof v === 'string' ? { ok: true, value: v } : { ok: false };
}

function outboxId(item: object): Field<number> {
  const v = own(item, 'outboxId');
  if (v === undefined || v === null || v === '') return { ok: true, value: null };
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d{1,15}$/.test(v) ? Number(v) : NaN;
  return Number.isSafeInteger(n) && n > 0 ? { ok: true, value: n } : { ok: false };
}

/**
 * The items of an Event Webhook batch (already known to be a JSON array) split into events to apply and items to
 * skip, each with the reason. Fields are read as own properties only, so that "constructor" or "__proto__" is
 * just an unknown event name. Pure; never throws.
 */
export function readSendgridEvents(items: readonly unknown[]): { events: EmailEvent[]; skipped: SkippedEvent[] } {
  const events: EmailEvent[] = [];
  const skipped: SkippedEvent[] = [];
  items.forEach((item, index) => {
    const bad = (why: string) => skipped.push({ index, malformed: true, why });
    if (typeof item !== 'object' || item === null || Array.isArray(item)) return bad('is not an object');
    const event = own(item, 'event');
    if (typeof event !== 'string' || event === '') return bad('event is missing or not a string');
    const sg = text(item, 'sg_message_id');
    if (!sg.ok) return bad('sg_message_id is not a string');
    const id = outboxId(item);
    if (!id.ok) return bad('outboxId is not a message id');
    const reason = text(item, 'reason');
    if (!reason.ok) return bad('reason is not a string');
    const status = emailDeliveryStatus(event);
    if (!status) return skipped.push({ index, malformed: false, why: `event "${event.slice(0, 40)}" is not tracked` });
    const providerMessageId = sg.value?.split('.')[0] || null;
    if (id.value === null && providerMessageId === null) return bad('has neither outboxId nor sg_message_id');
    events.push({ status, outboxId: id.value, providerMessageId, reason: reason.value });
  });
  return { events, skipped };
}
