import { DateTime } from 'luxon';
import { z } from 'zod';
import { LANGUAGES } from '../common/domain';
import { emailSchema } from './contact.rules';

/** Input shapes of the admin API and the CSV import; each bad field gets a message a person can act on. */

const name = (max: number) => z.string({ error: 'is required' }).trim().min(1, 'is required').max(max, `must be at most ${max} characters`);
const language = z.enum(LANGUAGES, { error: `must be one of ${LANGUAGES.join(', ')}` });
const slackId = (what: string) => z.string({ error: 'is required' }).trim().regex(/^[UWCGD][A-Z0-9]{2,30}$/, `must be a Slack ${what} id such as ${what === 'user' ? 'U0123ABCD' : 'C0123ABCD'}`);

export const recruiterInput = z.strictObject({
  slackUserId: slackId('user'),
  name: name(200),
  email: emailSchema,
  smsAccess: z.boolean({ error: 'must be true or false' }).default(false),
});
export type RecruiterInput = z.infer<typeof recruiterInput>;

export const projectInput = z.strictObject({
  title: name(200),
  slackChannelId: slackId('channel'),
  defaultLanguage: language,
  senderEmail: emailSchema.optional(),
  timezone: z
    .string()
    .trim()
    .refine((v) => DateTime.local().setZone(v).isValid, 'must be an IANA time zone such as Europe/Stockholm')
    .optional(),
});
export type ProjectInput = z.infer<typeof projectInput>;

export const applicationInput = z.strictObject({
  firstName: name(100),
  lastName: name(100),
  email: emailSchema,
  mobile: z.string({ error: 'must be a string' }).trim().max(40, 'is too long').optional().nullable(),
  language: language.optional(),
});
export type ApplicationInput = z.infer<typeof applicationInput>;

/** zod issues → { field: message } (first message per field). */
export function fieldErrors(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const k of issue.keys) out[k] ??= 'is not a known field';
      continue;
    }
    const key = issue.path.join('.') || 'body';
    out[key] ??= issue.message;
  }
  return out;
}
