import { LANGUAGES } from '../../common/domain';
import { EMAIL_KINDS, defaultTemplates, layoutStrings } from './default-templates';
import { compileTemplate, confirmLinkDefault, unknownTags } from './merge-tags';

describe('default templates', () => {
  it.each(LANGUAGES)('%s: every text uses known tags only', (lang) => {
    const t = defaultTemplates(lang);
    const texts = [
      ...EMAIL_KINDS.flatMap((k) => [t[k].subject, t[k].content]),
      t.reminder.signature,
      layoutStrings(lang).footer,
    ];
    for (const text of texts) {
      expect(unknownTags(text)).toEqual([]);
      expect(() => compileTemplate(text)).not.toThrow();
    }
  });

  it('the invitation contents carry the confirm link, so the option defaults to off', () => {
    expect(confirmLinkDefault(LANGUAGES.map((l) => defaultTemplates(l).invitation.content))).toBe(false);
    for (const l of LANGUAGES) expect(defaultTemplates(l).cancellation.content).not.toContain('{confirmlink}');
  });

  it('Swedish and English differ', () => {
    expect(defaultTemplates('sv').invitation.content).toContain('Hej {candidate_first_name}!');
    expect(defaultTemplates('en').invitation.content).toContain('Hi {candidate_first_name},');
    expect(layoutStrings('sv').confirmLabel).toBe('Svara på kallelsen');
    expect(layoutStrings('en').confirmLabel).toBe('Answer the invitation');
  });
});
