/**
 * Email rendering, SPEC §5 "Compile MJML once": the MJML layout is compiled once per language at
 * start-up with unique markers (`%%KALLELSE_<SLOT>%%`) where the per-message parts go; the HTML is
 * split on the markers into chunks, and `render()` is synchronous string concatenation of those
 * chunks with the filled (already escaped) templates. `renderWithMjmlPerMessage()` is the slow path
 * (MJML per message) kept for the benchmark and for equivalence tests.
 *
 * Pure (no framework imports); depends on mjml only.
 */
import mjml2html from 'mjml';
import { LANGUAGES, type Language } from '../../common/domain';
import { layoutStrings, type EmailKind, EMAIL_KINDS } from './default-templates';
import {
  compileTemplate,
  escapeHtml,
  fillTemplate,
  type CompiledTemplate,
  type MergeTag,
} from './merge-tags';

export interface RenderInput {
  language: Language;
  kind: EmailKind;
  subject: CompiledTemplate;
  content: CompiledTemplate;
  signature?: CompiledTemplate;
  values: Record<MergeTag, string>;
}

export interface RenderedEmail {
  /** Plain text, not escaped; line breaks folded to spaces (safe for a mail header). */
  subject: string;
  html: string;
  text: string;
}

/** Compiles one MJML document; injectable so tests can count calls. */
export type MjmlCompiler = (mjml: string) => Promise<{ html: string; errors: ReadonlyArray<unknown> }>;

export const defaultMjmlCompiler: MjmlCompiler = (mjml) => mjml2html(mjml, { validationLevel: 'strict' });

const SLOTS = ['SUBJECT', 'KIND', 'TITLE', 'CONTENT', 'FOOTER'] as const;
type Slot = (typeof SLOTS)[number];
type SlotValues = Record<Slot, string>;

const MARKER_RE = /%%KALLELSE_([A-Z]+)%%/g;
const marker = (s: Slot) => `%%KALLELSE_${s}%%`;
const MARKERS: SlotValues = {
  SUBJECT: marker('SUBJECT'),
  KIND: marker('KIND'),
  TITLE: marker('TITLE'),
  CONTENT: marker('CONTENT'),
  FOOTER: marker('FOOTER'),
};

const FONT_STACK = "-apple-system, BlinkMacSystemFont, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif";

/**
 * The MJML layout. Every slot value must already be HTML (escaped text or trusted markup).
 * With the default `slots` the result holds the markers; the fast path compiles that once.
 */
export function buildLayoutMjml(lang: Language, slots: SlotValues = MARKERS): string {
  return `<mjml lang="${lang}" dir="ltr">
  <mj-head>
    <mj-title>${slots.SUBJECT}</mj-title>
    <mj-attributes>
      <mj-all font-family="${FONT_STACK}" />
      <mj-text font-size="16px" line-height="1.6" color="#1f2933" padding="0 24px" />
      <mj-section padding="0" />
    </mj-attributes>
    <mj-style>
      a.confirm:hover { background-color: #1e429f !important; }
      .content a { color: #1a56db; }
      .content a.confirm { color: #ffffff; }
      @media only screen and (max-width: 480px) {
        a.confirm { display: block !important; text-align: center !important; }
      }
    </mj-style>
  </mj-head>
  <mj-body width="600px" background-color="#f3f4f6">
    <mj-section padding="24px 0 0 0"><mj-column></mj-column></mj-section>
    <mj-section background-color="#1e3a8a" padding="24px 0" border-radius="8px 8px 0 0">
      <mj-column>
        <mj-text color="#dbeafe" font-size="13px" font-weight="600" letter-spacing="1px" text-transform="uppercase" padding-bottom="6px">${slots.KIND}</mj-text>
        <mj-text color="#ffffff"><h1 style="margin:0;font-size:22px;line-height:1.3;font-weight:700;color:#ffffff;">${slots.TITLE}</h1></mj-text>
      </mj-column>
    </mj-section>
    <mj-section background-color="#ffffff" padding="28px 0" border-radius="0 0 8px 8px">
      <mj-column>
        <mj-text css-class="content">${slots.CONTENT}</mj-text>
      </mj-column>
    </mj-section>
    <mj-section padding="16px 0 32px 0">
      <mj-column>
        <mj-text font-size="12px" line-height="1.5" color="#4b5563" align="center">${slots.FOOTER}</mj-text>
      </mj-column>
    </mj-section>
  </mj-body>
</mjml>`;
}

interface CompiledLayout {
  /** literal HTML chunks; chunks.length === slots.length + 1 */
  chunks: string[];
  /** index into the slot-values array for each gap between chunks */
  slots: number[];
  kindLabel: Record<EmailKind, string>; // escaped
  confirmLabel: string;
  footer: CompiledTemplate;
}

async function compileMjml(compile: MjmlCompiler, mjml: string): Promise<string> {
  const result = await compile(mjml);
  if (result.errors.length > 0) {
    const msg = result.errors
      .map((e) => (e && typeof e === 'object' && 'formattedMessage' in e ? String(e.formattedMessage) : String(e)))
      .join('; ');
    throw new Error(`MJML layout does not compile: ${msg}`);
  }
  return result.html;
}

function splitOnMarkers(html: string, lang: Language): Pick<CompiledLayout, 'chunks' | 'slots'> {
  const chunks: string[] = [];
  const slots: number[] = [];
  let last = 0;
  for (const m of html.matchAll(MARKER_RE)) {
    const idx = (SLOTS as readonly string[]).indexOf(m[1]);
    if (idx < 0) throw new Error(`Unexpected marker ${m[0]} in the compiled layout (${lang})`);
    chunks.push(html.slice(last, m.index));
    slots.push(idx);
    last = m.index + m[0].length;
  }
  chunks.push(html.slice(last));
  for (let i = 0; i < SLOTS.length; i++) {
    if (!slots.includes(i)) throw new Error(`Marker ${marker(SLOTS[i])} did not survive MJML compilation (${lang})`);
  }
  if (chunks.some((c) => c.includes('KALLELSE_'))) throw new Error(`A mangled marker is left in the compiled layout (${lang})`);
  return { chunks, slots };
}

function layoutExtras(lang: Language): Pick<CompiledLayout, 'kindLabel' | 'confirmLabel' | 'footer'> {
  const s = layoutStrings(lang);
  const kindLabel = {} as Record<EmailKind, string>;
  for (const k of EMAIL_KINDS) kindLabel[k] = escapeHtml(s.kindLabel[k]);
  return { kindLabel, confirmLabel: s.confirmLabel, footer: compileTemplate(s.footer) };
}

const LINE_BREAKS = /[\r\n]+/g;

function subjectLine(input: RenderInput): string {
  // The subject never carries the confirm link (it would show the URL in the inbox and in <title>).
  const values = input.subject.hasConfirmLink ? { ...input.values, confirmlink: '' } : input.values;
  return fillTemplate(input.subject, values, { html: false }).replace(LINE_BREAKS, ' ').trim();
}

function slotValues(input: RenderInput, extras: Pick<CompiledLayout, 'kindLabel' | 'confirmLabel' | 'footer'>, subject: string): SlotValues {
  const v = input.values;
  let content = fillTemplate(input.content, v, { html: true, confirmLabel: extras.confirmLabel });
  if (input.signature) {
    content +=
      '<div class="signature" style="margin-top:24px;">' +
      fillTemplate(input.signature, v, { html: true, confirmLabel: extras.confirmLabel }) +
      '</div>';
  }
  return {
    SUBJECT: escapeHtml(subject),
    KIND: extras.kindLabel[input.kind],
    TITLE: escapeHtml(v.project_title),
    CONTENT: content,
    FOOTER: fillTemplate(extras.footer, v, { html: true }),
  };
}

function textPart(input: RenderInput): string {
  let text = fillTemplate(input.content, input.values, { html: false });
  if (input.signature) text += '\n\n' + fillTemplate(input.signature, input.values, { html: false });
  return text;
}

export class EmailRenderer {
  private constructor(private readonly layouts: Record<Language, CompiledLayout>) {}

  /** Compiles the MJML layout once per language (MJML 5 is async); everything after is synchronous. */
  static async create(options: { compile?: MjmlCompiler } = {}): Promise<EmailRenderer> {
    const compile = options.compile ?? defaultMjmlCompiler;
    const layouts = {} as Record<Language, CompiledLayout>;
    for (const lang of LANGUAGES) {
      const html = await compileMjml(compile, buildLayoutMjml(lang));
      layouts[lang] = { ...splitOnMarkers(html, lang), ...layoutExtras(lang) };
    }
    return new EmailRenderer(layouts);
  }

  /** Synchronous: fills the templates and joins the precompiled HTML chunks. */
  render(input: RenderInput): RenderedEmail {
    const layout = this.layouts[input.language] ?? this.layouts.en;
    const subject = subjectLine(input);
    const sv = slotValues(input, layout, subject);
    const vals = [sv.SUBJECT, sv.KIND, sv.TITLE, sv.CONTENT, sv.FOOTER]; // same order as SLOTS
    const { chunks, slots } = layout;
    let html = chunks[0];
    for (let i = 0; i < slots.length; i++) html += vals[slots[i]] + chunks[i + 1];
    return { subject, html, text: textPart(input) };
  }
}

/**
 * The slow path peers take: builds the MJML with this message's content and compiles it.
 * Same layout and same filled parts as `EmailRenderer.render`, so the visible content is equal.
 */
export async function renderWithMjmlPerMessage(
  input: RenderInput,
  compile: MjmlCompiler = defaultMjmlCompiler,
): Promise<RenderedEmail> {
  const subject = subjectLine(input);
  const sv = slotValues(input, layoutExtras(input.language), subject);
  const html = await compileMjml(compile, buildLayoutMjml(input.language, sv));
  return { subject, html, text: textPart(input) };
}
