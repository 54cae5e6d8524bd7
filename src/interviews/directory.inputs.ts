import { z } from 'zod';
import { checkTimeZone } from '../common/time-zone';
import { INTERVIEW_TYPES, LANGUAGES, REMINDER_OPTIONS } from '../common/domain';
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
    .string({ error: 'must be an IANA time zone such as Europe/Stockholm' })
    .trim()
    .superRefine(checkTimeZone)
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

const template = z.strictObject({ subject: z.string().max(500, 'must be at most 500 characters'), content: z.string().max(10_000, 'must be at most 10000 characters') });

/** An invitation from the admin API (ATS sync, bulk invitations); the same server-side rules as the Slack modal apply. */
export const inviteInput = z.strictObject({
  projectId: z.number({ error: 'must be a project id' }).int().positive(),
  applicationIds: z.array(z.number().int().positive(), { error: 'must be a list of application ids' }).min(1, 'choose at least one application').max(5000, 'at most 5000 per invitation'),
  type: z.enum(INTERVIEW_TYPES, { error: `must be one of ${INTERVIEW_TYPES.join(', ')}` }),
  date: z.iso.date({ error: 'must be a date, yyyy-mm-dd' }),
  time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:mm'),
  durationMinutes: z.number().int().min(5).max(600).default(45),
  location: z.string().max(1000).nullable().optional(),
  recruiterIds: z.array(slackId('user')).min(1, 'choose at least one recruiter').optional(),
  createdBy: slackId('user'),
  sendEmail: z.boolean().default(true),
  senderEmail: emailSchema.optional(),
  templates: z.partialRecord(language, template).optional(),
  confirmLink: z.boolean().optional(),
  reminder: z
    .strictObject({
      option: z.enum(REMINDER_OPTIONS, { error: `must be one of ${REMINDER_OPTIONS.join(', ')}` }),
      days: z.number().int().nullable().optional(),
      subject: z.string().max(500).optional(),
      content: z.string().max(10_000).optional(),
      signature: z.string().max(2000).optional(),
    })
    .default({ option: 'none' }),
});
export type InviteInput = z.infer<typeof inviteInput>;
