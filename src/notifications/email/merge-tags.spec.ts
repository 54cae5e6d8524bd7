import fc from 'fast-check';
import {
  MERGE_TAGS,
  UnknownMergeTagError,
  compileTemplate,
  confirmLinkDefault,
  escapeHtmlText,
  fillTemplate,
  unknownTags,
  withConfirmLink,
  type MergeTag,
} from './merge-tags';

const URL = 'https://kallelse.example.com/r/tok_123?a=1&b=2';
const HREF = 'https://kallelse.example.com/r/tok_123?a=1&amp;b=2';

function values(overrides: Partial<Record<MergeTag, string>> = {}): Record<MergeTag, string> {
  const v = {} as Record<MergeTag, string>;
  for (const t of MERGE_TAGS) v[t] = `<${t}>`;
  v.confirmlink = URL;
  return { ...v, ...overrides };
}

const count = (haystack: string, needle: string) => haystack.split(needle).length - 1;

describe('unknownTags', () => {
  it('names every unknown tag once, in order, and accepts known ones', () => {
    expect(unknownTags('Hej {candidate_first_name}, {projekt} {fornamn} {projekt}')).toEqual(['projekt', 'fornamn']);
    expect(unknownTags(MERGE_TAGS.map((t) => `{${t}}`).join(' '))).toEqual([]);
  });

  it('is case-sensitive: a capitalised tag is an unknown tag', () => {
    expect(unknownTags('{Candidate_Name} {PROJECT_TITLE}')).toEqual(['Candidate_Name', 'PROJECT_TITLE']);
  });

  it('treats other braces as literal text', () => {
    expect(unknownTags('{ } {{ }} {"a": 1} {x1} {} {candidate name}')).toEqual([]);
  });

  it('compileTemplate throws UnknownMergeTagError naming the tags', () => {
    expect.assertions(3);
    try {
      compileTemplate('Hi {candidate_firstname} and {Recruiters}');
    } catch (e) {
      expect(e).toBeInstanceOf(UnknownMergeTagError);
      expect((e as UnknownMergeTagError).tags).toEqual(['candidate_firstname', 'Recruiters']);
      expect((e as Error).message).toContain('{candidate_firstname}');
    }
  });
});

describe('confirm-link option default (SPEC §2.1)', () => {
  it('one candidate, content with the tag: off', () => {
    expect(confirmLinkDefault(['Hej!\n{confirmlink}'])).toBe(false);
  });
  it('one candidate, content without the tag: on', () => {
    expect(confirmLinkDefault(['Hej!'])).toBe(true);
  });
  it('two languages, tag in both: off', () => {
    expect(confirmLinkDefault(['Hej {confirmlink}', 'Hi {confirmlink}'])).toBe(false);
  });
  it('two languages, tag in only one: on', () => {
    expect(confirmLinkDefault(['Hej {confirmlink}', 'Hi'])).toBe(true);
  });
});

describe('withConfirmLink', () => {
  it('leaves a content with the tag alone, appends when on, leaves alone when off', () => {
    expect(withConfirmLink('A {confirmlink}', true)).toBe('A {confirmlink}');
    expect(withConfirmLink('A {confirmlink}', false)).toBe('A {confirmlink}');
    expect(withConfirmLink('A\n', true)).toBe('A\n\n{confirmlink}');
    expect(withConfirmLink('A', false)).toBe('A');
  });
});

describe('fillTemplate: the confirm link appears exactly once', () => {
  const cases: Array<[string, string, number]> = [
    ['tag present once', withConfirmLink('Hej {candidate_first_name}\n{confirmlink}', true), 1],
    ['tag present twice', withConfirmLink('Svara: {confirmlink}\nEller här: {confirmlink}!', false), 1],
    ['tag absent, option on', withConfirmLink('Hej {candidate_first_name}', true), 1],
    ['tag absent, option off', withConfirmLink('Hej {candidate_first_name}', false), 0],
  ];
  it.each(cases)('%s', (_name, content, expected) => {
    const t = compileTemplate(content);
    const text = fillTemplate(t, values(), { html: false });
    const html = fillTemplate(t, values(), { html: true, confirmLabel: 'Svara på kallelsen' });
    expect(count(text, URL)).toBe(expected);
    expect(count(html, HREF)).toBe(expected);
    expect(count(html, 'class="confirm"')).toBe(expected);
    expect(count(html, '>Svara på kallelsen</a>')).toBe(expected);
    expect(text).not.toContain('{confirmlink}');
    expect(html).not.toContain('{confirmlink}');
  });

  it('renders nothing for the tag when there is no URL', () => {
    const t = compileTemplate('A{confirmlink}B');
    expect(fillTemplate(t, values({ confirmlink: '' }), { html: true })).toBe('AB');
    expect(fillTemplate(t, values({ confirmlink: '' }), { html: false })).toBe('AB');
  });
});

describe('fillTemplate: escaping', () => {
  it('escapes values and literal text in html, keeps them raw in text, turns newlines into <br>', () => {
    const t = compileTemplate('Hej {candidate_name} & <b>välkommen</b>\r\nRad två');
    const v = values({ candidate_name: '<script>alert(1)</script>' });
    const html = fillTemplate(t, v, { html: true });
    expect(html).toBe('Hej &lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;välkommen&lt;/b&gt;<br>\nRad två');
    expect(html).not.toContain('<script>');
    expect(fillTemplate(t, v, { html: false })).toBe('Hej <script>alert(1)</script> & <b>välkommen</b>\nRad två');
  });

  it('escapes quotes in the href and the label', () => {
    const t = compileTemplate('{confirmlink}');
    const html = fillTemplate(t, values({ confirmlink: 'https://x.test/"onmouseover="x' }), { html: true, confirmLabel: '<Svara>' });
    expect(html).toContain('href="https://x.test/&quot;onmouseover=&quot;x"');
    expect(html).toContain('>&lt;Svara&gt;</a>');
  });
});

describe('fillTemplate properties', () => {
  const nastyChar = fc.constantFrom('<', '>', '&', '"', "'", '\n', 'a', 'Z', ' ', '{', '}', '/', ';', 'å', '#');
  const nastyString = fc.string({ unit: nastyChar, maxLength: 40 });
  const nonConfirmTags = MERGE_TAGS.filter((t) => t !== 'confirmlink');

  const decode = (s: string) =>
    s
      .replace(/<br>\n/g, '\n')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&amp;/g, '&');

  it('a value never brings an unescaped <, >, " or a bare & into html, and round-trips', () => {
    fc.assert(
      fc.property(nastyString, fc.constantFrom(...nonConfirmTags), (value, tag) => {
        const t = compileTemplate(`[{${tag}}]`);
        const html = fillTemplate(t, values({ [tag]: value }), { html: true });
        const inner = html.slice(1, -1);
        const withoutBr = inner.replace(/<br>\n/g, '');
        expect(withoutBr).not.toMatch(/[<>"']/);
        expect(withoutBr.replace(/&(amp|lt|gt|quot|#39);/g, '')).not.toContain('&');
        expect(decode(inner)).toBe(value);
        expect(inner).toBe(escapeHtmlText(value));
      }),
    );
  });

  it('filling never leaves a known {tag} behind', () => {
    // Values made of characters that cannot spell a tag name, so any {known_tag} left would come from the template.
    const valueChar = fc.constantFrom('<', '>', '&', '"', "'", '\n', 'Z', ' ', '1', 'Å');
    const value = fc.string({ unit: valueChar, minLength: 1, maxLength: 10 });
    const piece = fc.oneof(
      fc.constantFrom(...nonConfirmTags).map((t) => `{${t}}`),
      fc.string({ unit: fc.constantFrom('{', '}', 'a', '_', ' ', '\n', '<'), maxLength: 6 }),
    );
    const knownTag = new RegExp(`\\{(${MERGE_TAGS.join('|')})\\}`);
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), fc.array(value, { minLength: MERGE_TAGS.length, maxLength: MERGE_TAGS.length }), (pieces, vals) => {
        const template = pieces.join('');
        fc.pre(unknownTags(template).length === 0);
        const v = {} as Record<MergeTag, string>;
        MERGE_TAGS.forEach((t, i) => (v[t] = vals[i]));
        const t = compileTemplate(template);
        expect(fillTemplate(t, v, { html: false })).not.toMatch(knownTag);
        expect(fillTemplate(t, v, { html: true })).not.toMatch(knownTag);
      }),
    );
  });
});
