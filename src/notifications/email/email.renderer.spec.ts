import { LANGUAGES, type Language } from '../../common/domain';
import { defaultTemplates } from './default-templates';
import {
  EmailRenderer,
  buildLayoutMjml,
  defaultMjmlCompiler,
  renderWithMjmlPerMessage,
  type MjmlCompiler,
  type RenderInput,
} from './email.renderer';
import { mergeValues, type InterviewFacts } from './interview-values';
import { compileTemplate, withConfirmLink } from './merge-tags';

const URL = 'https://kallelse.example.com/r/tok_abc123';

const interview: InterviewFacts = {
  projectTitle: 'Backend Engineer <Göteborg> & Co',
  type: 'video',
  startsAt: new Date('2026-12-08T09:00:00Z'),
  durationMinutes: 45,
  timezone: 'Europe/Stockholm',
  location: 'https://meet.example.com/abc',
  recruiterNames: ['Rita', 'Sam'],
  senderName: 'Rita Rekryterare',
};

function input(lang: Language, content: string, overrides: Partial<RenderInput> = {}, firstName = 'Anna'): RenderInput {
  const t = defaultTemplates(lang);
  return {
    language: lang,
    kind: 'invitation',
    subject: compileTemplate(t.invitation.subject),
    content: compileTemplate(content),
    values: mergeValues(interview, { firstName, lastName: 'Lindqvist', language: lang }, URL),
    ...overrides,
  };
}

const count = (haystack: string, needle: string) => haystack.split(needle).length - 1;

/** Visible text of an HTML document: no head, comments, tags; entities decoded; whitespace collapsed. */
function visibleText(html: string): string {
  return html
    .replace(/<head[\s\S]*?<\/head>/i, '')
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}

let renderer: EmailRenderer;
let compileCalls = 0;
const countingCompiler: MjmlCompiler = (mjml) => {
  compileCalls++;
  return defaultMjmlCompiler(mjml);
};

beforeAll(async () => {
  renderer = await EmailRenderer.create({ compile: countingCompiler });
});

describe('EmailRenderer: MJML compiled once', () => {
  it('create() compiles the layout exactly once per language', () => {
    expect(compileCalls).toBe(LANGUAGES.length);
  });

  it('render() is synchronous and never calls MJML', () => {
    const before = compileCalls;
    const out = renderer.render(input('sv', defaultTemplates('sv').invitation.content));
    expect(out).not.toBeInstanceOf(Promise);
    expect(typeof (out as unknown as { then?: unknown }).then).toBe('undefined');
    expect(EmailRenderer.prototype.render.constructor.name).toBe('Function'); // not AsyncFunction
    for (let i = 0; i < 100; i++) renderer.render(input('en', defaultTemplates('en').invitation.content));
    expect(compileCalls).toBe(before);
  });

  it('the markers survive compilation and none are left in the output', () => {
    const out = renderer.render(input('sv', defaultTemplates('sv').invitation.content));
    expect(out.html).not.toContain('%%');
    expect(out.html).not.toContain('KALLELSE_');
    expect(out.html).toContain('<html lang="sv"');
    expect(out.html).toContain('Backend Engineer &lt;Göteborg&gt; &amp; Co</h1>');
    expect(out.html).toContain('<title>Videointervju – Backend Engineer &lt;Göteborg&gt; &amp; Co</title>');
    expect(out.subject).toBe('Videointervju – Backend Engineer <Göteborg> & Co');
  });

  it('fails loudly when the layout does not compile', async () => {
    const broken: MjmlCompiler = async () => ({ html: '', errors: [{ formattedMessage: 'bad tag' }] });
    await expect(EmailRenderer.create({ compile: broken })).rejects.toThrow('bad tag');
    const mangled: MjmlCompiler = async (m) => ({ html: m.replace('%%KALLELSE_CONTENT%%', '%KALLELSE_CONTENT%'), errors: [] });
    await expect(EmailRenderer.create({ compile: mangled })).rejects.toThrow(/CONTENT/);
  });
});

describe('EmailRenderer: the confirm link appears exactly once', () => {
  const cases: Array<[string, string, number]> = [
    ['tag present once', withConfirmLink('Hej {candidate_first_name}!\n\n{confirmlink}', true), 1],
    ['tag present twice', withConfirmLink('Svara: {confirmlink}\n\nEller här: {confirmlink}', true), 1],
    ['tag absent, option on', withConfirmLink('Hej {candidate_first_name}!', true), 1],
    ['tag absent, option off', withConfirmLink('Hej {candidate_first_name}!', false), 0],
  ];
  it.each(cases)('%s', (_name, content, expected) => {
    const out = renderer.render(input('sv', content));
    expect(count(out.html, URL)).toBe(expected);
    expect(count(out.html, `href="${URL}"`)).toBe(expected);
    expect(count(out.html, '>Svara på kallelsen</a>')).toBe(expected);
    expect(count(out.text, URL)).toBe(expected);
    expect(out.html).not.toContain('{confirmlink}');
    expect(out.text).not.toContain('{confirmlink}');
  });

  it('a {confirmlink} in the subject does not add the URL to the html', () => {
    const out = renderer.render(input('en', 'Hi\n{confirmlink}', { subject: compileTemplate('Answer {confirmlink}') }));
    expect(count(out.html, URL)).toBe(1);
    expect(out.subject).toBe('Answer');
  });
});

describe('EmailRenderer: escaping', () => {
  it('shows a <script> candidate name in html and keeps it raw in the text part', () => {
    const out = renderer.render(input('en', defaultTemplates('en').invitation.content, {}, '<script>alert(1)</script>'));
    expect(out.html).not.toContain('<script>');
    expect(out.html).toContain('Hi &lt;script&gt;alert(1)&lt;/script&gt;,');
    expect(out.text).toContain('Hi <script>alert(1)</script>,');
  });

  it('folds line breaks out of the subject', () => {
    const out = renderer.render(input('en', 'x', { subject: compileTemplate('Hi\r\n{candidate_first_name}\n') }));
    expect(out.subject).toBe('Hi Anna');
  });
});

describe('EmailRenderer: content and languages', () => {
  it('text part is the filled content plus the signature', () => {
    const t = defaultTemplates('sv').reminder;
    const out = renderer.render(
      input('sv', t.content, { kind: 'reminder', subject: compileTemplate(t.subject), signature: compileTemplate(t.signature) }),
    );
    expect(out.subject).toBe('Påminnelse: Videointervju tisdag 8 december 2026');
    expect(out.text).toContain('Tid: 10:00–10:45 (CET)');
    expect(out.text.endsWith('Vänliga hälsningar\nRita Rekryterare')).toBe(true);
    expect(out.html).toContain('Vänliga hälsningar<br>\nRita Rekryterare');
    expect(out.html).toContain('>Påminnelse</div>');
  });

  it.each(LANGUAGES)('%s: renders its default invitation with its own lang attribute', (lang) => {
    const out = renderer.render(input(lang, defaultTemplates(lang).invitation.content));
    expect(out.html).toContain(`lang="${lang}"`);
    expect(count(out.html, URL)).toBe(1);
    expect(count(out.text, URL)).toBe(1);
  });
});

describe('slow path (MJML per message) vs fast path', () => {
  it.each(['sv', 'en', 'fi'] as Language[])('%s: same visible text and same text part', async (lang) => {
    const t = defaultTemplates(lang).reminder;
    const inp = input(lang, t.content, {
      kind: 'reminder',
      subject: compileTemplate(t.subject),
      signature: compileTemplate(t.signature),
    }, '<b>Ö</b> & "Å"');
    const fast = renderer.render(inp);
    const slow = await renderWithMjmlPerMessage(inp);
    expect(slow.subject).toBe(fast.subject);
    expect(slow.text).toBe(fast.text);
    expect(visibleText(slow.html)).toBe(visibleText(fast.html));
    expect(visibleText(fast.html)).toContain('<b>Ö</b> & "Å"');
    // With the mjml version in use the two are even byte-identical.
    expect(slow.html).toBe(fast.html);
  });

  it('the layout MJML validates strictly', async () => {
    const result = await defaultMjmlCompiler(buildLayoutMjml('sv'));
    expect(result.errors).toEqual([]);
  });
});
