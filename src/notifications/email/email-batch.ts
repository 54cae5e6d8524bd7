import type { RenderedEmail } from './email.renderer';
import { escapeHtmlText, MergeTag } from './merge-tags';

/** The merge values that differ between the candidates of one interview; everything else is the interview's. */
export const PER_RECIPIENT_TAGS = ['candidate_first_name', 'candidate_last_name', 'candidate_name', 'confirmlink'] as const satisfies readonly MergeTag[];

/** SendGrid's limit on the substitutions of one personalization (bytes); we stay well below it. */
const MAX_SUBSTITUTION_BYTES = 8_000;

export interface SubstitutionPlan {
  /** The content once, with a substitution key where each recipient's own value goes. */
  html: string;
  text: string;
  /** Recipients (by index into the input) that the substitutions reproduce exactly. */
  members: { index: number; subject: string; substitutions: Record<string, string> }[];
  /** Recipients to send on their own: the substitutions would not give exactly their own rendering. */
  alone: number[];
}

/** What a provider does with a personalization's substitutions: every key replaced by its value, key by key. */
export function applySubstitutions(content: string, substitutions: Record<string, string>): string {
  let out = content;
  for (const [key, value] of Object.entries(substitutions)) out = out.replaceAll(key, value);
  return out;
}

/**
 * Plans one provider request for emails that differ only in the candidate's name and confirm link: the content is
 * rendered once with a key in place of each per-recipient value (one key for the HTML part, another for the text
 * part, since the HTML carries the value escaped), and each recipient gets the values for those keys. Every
 * recipient's result is checked against its own rendering; one that would differ in any character is left to be
 * sent alone. `nonce` keeps the keys from occurring in any template or value.
 */
export function planSubstitutions(render: (values: Record<MergeTag, string>) => RenderedEmail, recipients: Record<MergeTag, string>[], nonce: string): SubstitutionPlan {
  const htmlKey = (i: number) => `%%${nonce}h${i}%%`;
  const textKey = (i: number) => `%%${nonce}t${i}%%`;
  const keyed = (key: (i: number) => string) => {
    const values = { ...recipients[0] };
    PER_RECIPIENT_TAGS.forEach((tag, i) => (values[tag] = key(i)));
    return render(values);
  };
  const html = keyed(htmlKey).html;
  const text = keyed(textKey).text;
  const used = PER_RECIPIENT_TAGS.map((_, i) => ({ h: html.includes(htmlKey(i)), t: text.includes(textKey(i)) }));
  const members: SubstitutionPlan['members'] = [];
  const alone: number[] = [];
  recipients.forEach((values, index) => {
    const own = render(values);
    const substitutions: Record<string, string> = {};
    let bytes = 0;
    PER_RECIPIENT_TAGS.forEach((tag, i) => {
      if (used[i].h) bytes += Buffer.byteLength((substitutions[htmlKey(i)] = escapeHtmlText(values[tag])));
      if (used[i].t) bytes += Buffer.byteLength((substitutions[textKey(i)] = values[tag]));
    });
    const exact = bytes <= MAX_SUBSTITUTION_BYTES && applySubstitutions(html, substitutions) === own.html && applySubstitutions(text, substitutions) === own.text;
    if (exact) members.push({ index, subject: own.subject, substitutions });
    else alone.push(index);
  });
  return { html, text, members, alone };
}
