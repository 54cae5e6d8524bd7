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

const text = (max: number) => z.string({ error: 'must be text' }).max(max, `must be at most ${max} characters`);
const template = z.strictObject({ subject: text(500), content: text(10_000) }, { error: 'must be an object with subject and content' });

/** An invitation from the admin API (ATS sync, bulk invitations); the same server-side rules as the Slack modal apply. */
export const inviteInput = z.strictObject({
  projectId: z.number({ error: 'must be a project id' }).int().positive(),
  applicationIds: z.array(z.number({ error: 'must be application ids (numbers)' }).int('must be application ids (whole numbers)').positive('must be application ids (positive numbers)'), { error: 'must be a list of application ids' }).min(1, 'choose at least one application').max(5000, 'at most 5000 per invitation'),
  type: z.enum(INTERVIEW_TYPES, { error: `must be one of ${INTERVIEW_TYPES.join(', ')}` }),
  date: z.iso.date({ error: 'must be a date, yyyy-mm-dd' }),
  time: z.string({ error: 'is required, as HH:mm' }).regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:mm'),
  durationMinutes: z.number({ error: 'must be a number of minutes' }).int('must be a whole number of minutes').min(5, 'must be at least 5 minutes').max(600, 'must be at most 600 minutes (10 hours)').default(45),
  location: text(1000).nullable().optional(),
  recruiterIds: z.array(slackId('user'), { error: 'must be a list of Slack user ids' }).min(1, 'choose at least one recruiter').optional(),
  createdBy: slackId('user'),
  sendEmail: z.boolean({ error: 'must be true or false' }).default(true),
  senderEmail: emailSchema.optional(),
  templates: z.partialRecord(language, template, { error: 'must map languages to { subject, content }' }).optional(),
  confirmLink: z.boolean({ error: 'must be true or false' }).optional(),
  reminder: z
    .strictObject({
      option: z.enum(REMINDER_OPTIONS, { error: `must be one of ${REMINDER_OPTIONS.join(', ')}` }),
      days: z.number({ error: 'must be a number of days' }).int('must be a whole number of days').nullable().optional(),
      subject: text(500).optional(),
      content: text(10_000).optional(),
      signature: text(2000).optional(),
    })
    .default({ option: 'none' }),
});
export type InviteInput = z.infer<typeof inviteInput>;
