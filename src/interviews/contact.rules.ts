import { parsePhoneNumberFromString, CountryCode } from 'libphonenumber-js/max';
import { z } from 'zod';

/** Pure rules for contact data, shared by the admin API and the CSV import. */

export function normaliseMobile(input: string, region: string): { ok: true; e164: string } | { ok: false; message: string } {
  const trimmed = input.trim();
  const phone = parsePhoneNumberFromString(trimmed, region as CountryCode);
  if (!phone || !phone.isValid()) return { ok: false, message: `"${trimmed}" is not a valid phone number (national numbers are read as ${region})` };
  const type = phone.getType();
  if (type && type !== 'MOBILE' && type !== 'FIXED_LINE_OR_MOBILE' && type !== 'PERSONAL_NUMBER')
    return { ok: false, message: `"${trimmed}" is not a mobile number (it looks like a ${type.toLowerCase().replace(/_/g, ' ')} number), so it cannot receive SMS` };
  return { ok: true, e164: phone.number };
}

export function normaliseEmail(input: string): string {
  return input.trim().toLowerCase();
}

export const emailSchema = z.string({ error: 'is required' }).trim().min(1, 'is required').max(254, 'is too long').pipe(z.email({ error: 'must be a valid email address' }));
