/**
 * Delivery statuses on a message record, from SendGrid's events and Twilio's status callbacks (SPEC §3). Pure.
 *
 * Providers report out of order and more than once, so a report only moves the status forwards: a final status
 * (delivered, bounced, dropped, undelivered, failed) is never replaced by a non-final one (processed, deferred,
 * queued, sent…); a later final status replaces a non-final one; a failure replaces delivered (a bounce that comes
 * after the receiving server first took the email) but not the other way round; the first failure stands.
 */

const FAILED: ReadonlySet<string> = new Set(['bounced', 'dropped', 'undelivered', 'failed']);

/** SendGrid's delivery events and the status each is stored as; engagement events (open, click…) are not tracked. */
const EMAIL_EVENTS: ReadonlyMap<string, string> = new Map([
  ['processed', 'processed'],
  ['deferred', 'deferred'],
  ['delivered', 'delivered'],
  ['bounce', 'bounced'],
  ['dropped', 'dropped'],
]);

/** Twilio's outbound message statuses, stored as they come. */
const SMS_STATUSES: ReadonlySet<string> = new Set(['accepted', 'scheduled', 'queued', 'sending', 'sent', 'delivered', 'undelivered', 'failed', 'read', 'canceled', 'partially_delivered']);

function rank(status: string): number {
  if (FAILED.has(status)) return 2;
  return status === 'delivered' ? 1 : 0;
}

export function isFailedDeliveryStatus(status: string): boolean {
  return FAILED.has(status);
}

/** Whether a report of `next` replaces the stored `current` (null: nothing reported yet). */
export function replacesDeliveryStatus(current: string | null, next: string): boolean {
  if (current === next) return false;
  if (current === null || rank(current) === 0) return true;
  return rank(next) > rank(current);
}

/** The status a SendGrid event is stored as, or undefined for an event that is not tracked. */
export function emailDeliveryStatus(event: string): string | undefined {
  return EMAIL_EVENTS.get(event);
}

export function isSmsDeliveryStatus(status: string): boolean {
  return SMS_STATUSES.has(status);
}
