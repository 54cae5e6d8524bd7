import type { InboundSms } from './sms-inbound.service';

/** The stored MessageSid's length (Twilio's are 34 characters). */
const MAX_SID = 64;

/** A form field's single value: undefined when absent; null when not one string (a repeated key). */
function one(form: Record<string, unknown>, key: string): string | undefined | null {
  if (!Object.hasOwn(form, key)) return undefined;
  const v = form[key];
  return typeof v === 'string' ? v : null;
}

/**
 * Twilio's inbound-message webhook form as an InboundSms, or the fields that are wrong in words an operator can act
 * on. MessageSid (or the older SmsSid) and From are required; a missing Body is an empty message. Pure.
 */
export function inboundSmsFromForm(form: Record<string, unknown> | undefined): { sms: InboundSms } | { errors: Record<string, string> } {
  const f = form ?? {};
  const errors: Record<string, string> = {};
  const sid = one(f, 'MessageSid') ?? one(f, 'SmsSid');
  const from = one(f, 'From');
  const body = one(f, 'Body');
  const optOutType = one(f, 'OptOutType');
  if (sid === null) errors.MessageSid = 'must be sent once';
  else if (!sid?.trim()) errors.MessageSid = 'is required: every message Twilio forwards has one, and it is what makes a repeated delivery count once';
  else if (sid.length > MAX_SID) errors.MessageSid = `must be at most ${MAX_SID} characters`;
  if (from === null) errors.From = 'must be sent once';
  else if (!from?.trim()) errors.From = "is required: the sender's number is how the candidate is found";
  if (body === null) errors.Body = 'must be sent once';
  if (optOutType === null) errors.OptOutType = 'must be sent once';
  if (Object.keys(errors).length) return { errors };
  return { sms: { messageSid: sid!, from: from!, body: body ?? '', optOutType: optOutType || undefined } };
}
