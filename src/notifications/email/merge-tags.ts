/**
 * Merge tags (SPEC §2.2) and the confirm-link rules (SPEC §2.1). Pure; no framework imports.
 *
 * Syntax: a tag is `{` + letters/underscores + `}` — e.g. `{candidate_name}`. Tag names are
 * case-sensitive: `{Candidate_Name}` is NOT a known tag and is reported as unknown (a typo is
 * caught instead of leaving a hole). Any other use of braces (`{ }`, `{{`, `{"a": 1}`, `{x1}`)
 * is literal text.
 *
 * Design of the confirm link: `values.confirmlink` is always the bare URL ('' = no link).
 *  - text mode: the first `{confirmlink}` becomes the URL;
 *  - html mode: the first `{confirmlink}` becomes
 *    `<a href="URL" class="confirm" style="…button…">LABEL</a>` with LABEL = `opts.confirmLabel`
 *    (a localised "Answer the invitation"; see `layoutStrings()` in default-templates.ts).
 *    The URL is therefore in the output exactly once (in the href).
 *  - every later `{confirmlink}` in the same template is dropped at compile time, so the link
 *    appears exactly once per template. An empty URL renders as nothing in both modes.
 * Whether a tag-less content gets the link appended is decided BEFORE compiling, with
 * `withConfirmLink(content, optionOn)`.
 */

export const MERGE_TAGS = [
  'candidate_first_name',
  'candidate_last_name',
  'candidate_name',
  'project_title',
  'interview_type',
  'interview_date',
  'interview_time',
  'interview_duration',
  'interview_location',
  'recruiters',
  'sender_name',
  'confirmlink',
] as const;
export type MergeTag = (typeof MERGE_TAGS)[number];

export const CONFIRM_LINK_TAG = '{confirmlink}';

const KNOWN = new Set<string>(MERGE_TAGS);
/** Anything shaped like a tag; whether it is known is decided by the set above. */
const TAG_RE = /\{([A-Za-z_]+)\}/g;

export function isMergeTag(name: string): name is MergeTag {
  return KNOWN.has(name);
}

/** Names (without braces) of every tag-shaped `{word}` that is not a known tag; unique, in order of appearance. */
export function unknownTags(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(TAG_RE)) {
    const name = m[1];
    if (!KNOWN.has(name) && !out.includes(name)) out.push(name);
  }
  return out;
}

export class UnknownMergeTagError extends Error {
  readonly tags: string[];
  constructor(tags: string[]) {
    super(
      `Unknown merge tag${tags.length > 1 ? 's' : ''}: ${tags.map((t) => `{${t}}`).join(', ')}. ` +
        `Known tags: ${MERGE_TAGS.map((t) => `{${t}}`).join(', ')}.`,
    );
    this.name = 'UnknownMergeTagError';
    this.tags = tags;
  }
}

/**
 * A template split once into literal text and tags: `text[0] tag[0] text[1] tag[1] … text[n]`.
 * Literals are stored twice — raw for plain text and pre-escaped (with `<br>` for newlines) for HTML —
 * so filling is concatenation only.
 */
export interface CompiledTemplate {
  readonly source: string;
  readonly tags: readonly MergeTag[];
  readonly text: readonly string[];
  readonly html: readonly string[];
  /** true when the template contains `{confirmlink}` (it is filled at most once). */
  readonly hasConfirmLink: boolean;
}

export interface FillOptions {
  html: boolean;
  /** Anchor text of the confirm button in html mode (localised). Defaults to "Answer the invitation". */
  confirmLabel?: string;
}

/** Inline style of the confirm button (inline because it is inserted after MJML compilation). */
export const CONFIRM_BUTTON_STYLE =
  'display:inline-block;background-color:#1a56db;color:#ffffff;font-weight:600;font-size:16px;' +
  'line-height:1.2;text-decoration:none;padding:12px 24px;border-radius:6px;margin:4px 0;';

const DEFAULT_CONFIRM_LABEL = 'Answer the invitation';

const HTML_SPECIAL = /[&<>"'\r\n]/;
const HTML_SPECIAL_G = /\r\n?|[&<>"'\n]/g;
const HTML_MAP: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '\n': '<br>\n',
  '\r': '<br>\n',
  '\r\n': '<br>\n',
};
const ATTR_SPECIAL = /[&<>"']/;
const ATTR_SPECIAL_G = /[&<>"']/g;

/** Escapes &<>"' and turns newlines into `<br>` (plain text → HTML body text). */
export function escapeHtmlText(s: string): string {
  if (!HTML_SPECIAL.test(s)) return s;
  return s.replace(HTML_SPECIAL_G, (c) => HTML_MAP[c]);
}

/** Escapes &<>"' only (for attribute values and <title>). */
export function escapeHtml(s: string): string {
  if (!ATTR_SPECIAL.test(s)) return s;
  return s.replace(ATTR_SPECIAL_G, (c) => HTML_MAP[c]);
}

export function compileTemplate(text: string): CompiledTemplate {
  const unknown = unknownTags(text);
  if (unknown.length > 0) throw new UnknownMergeTagError(unknown);
  const src = text.replace(/\r\n?/g, '\n');
  const tags: MergeTag[] = [];
  const literals: string[] = [];
  let last = 0;
  let current = '';
  let confirmSeen = false;
  for (const m of src.matchAll(TAG_RE)) {
    const name = m[1] as MergeTag;
    current += src.slice(last, m.index);
    last = m.index + m[0].length;
    if (name === 'confirmlink') {
      if (confirmSeen) continue; // later occurrences render as nothing
      confirmSeen = true;
    }
    literals.push(current);
    tags.push(name);
    current = '';
  }
  literals.push(current + src.slice(last));
  return {
    source: text,
    tags,
    text: literals,
    html: literals.map(escapeHtmlText),
    hasConfirmLink: confirmSeen,
  };
}

export function confirmLinkAnchor(url: string, label: string): string {
  if (url === '') return '';
  return `<a href="${escapeHtml(url)}" class="confirm" style="${CONFIRM_BUTTON_STYLE}">${escapeHtmlText(label)}</a>`;
}

/**
 * Fills a compiled template. Text mode: values verbatim. HTML mode: values escaped (&<>"' and
 * newlines → `<br>`), literals pre-escaped the same way, `{confirmlink}` → the button anchor.
 */
export function fillTemplate(t: CompiledTemplate, values: Record<MergeTag, string>, opts: FillOptions): string {
  const tags = t.tags;
  if (opts.html) {
    const lit = t.html;
    let out = lit[0];
    for (let i = 0; i < tags.length; i++) {
      const tag = tags[i];
      const v = tag === 'confirmlink'
        ? confirmLinkAnchor(values.confirmlink, opts.confirmLabel ?? DEFAULT_CONFIRM_LABEL)
        : escapeHtmlText(values[tag]);
      out += v + lit[i + 1];
    }
    return out;
  }
  const lit = t.text;
  let out = lit[0];
  for (let i = 0; i < tags.length; i++) out += values[tags[i]] + lit[i + 1];
  return out;
}

/** SPEC §2.1: the confirm-link option defaults to off when EVERY content (one per language) contains `{confirmlink}`, on otherwise. */
export function confirmLinkDefault(contents: string[]): boolean {
  return !contents.every((c) => c.includes(CONFIRM_LINK_TAG));
}

/** Content as sent: unchanged when it has the tag; with `\n\n{confirmlink}` appended when the option is on; unchanged otherwise. */
export function withConfirmLink(content: string, optionOn: boolean): string {
  if (content.includes(CONFIRM_LINK_TAG) || !optionOn) return content;
  return `${content.trimEnd()}\n\n${CONFIRM_LINK_TAG}`;
}
