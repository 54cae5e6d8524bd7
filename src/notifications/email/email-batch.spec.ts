import fc from 'fast-check';
import { LANGUAGES, type Language } from '../../common/domain';
import { defaultTemplates } from './default-templates';
import { applySubstitutions, planSubstitutions } from './email-batch';
import { EmailRenderer } from './email.renderer';
import { mergeValues, type InterviewFacts } from './interview-values';
import { compileTemplate, MergeTag } from './merge-tags';

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

interface Person {
  firstName: string;
  lastName: string;
  link: string | null;
}

describe('planSubstitutions', () => {
  let renderer: EmailRenderer;
  beforeAll(async () => {
    renderer = await EmailRenderer.create();
  });

  const renderFor = (lang: Language, subject = defaultTemplates(lang).reminder.subject, content = defaultTemplates(lang).reminder.content) => {
    const t = defaultTemplates(lang).reminder;
    const compiled = { subject: compileTemplate(subject), content: compileTemplate(content), signature: compileTemplate(t.signature) };
    return (values: Record<MergeTag, string>) => renderer.render({ language: lang, kind: 'reminder', ...compiled, values });
  };
  const valuesOf = (lang: Language, p: Person) => mergeValues(interview, { firstName: p.firstName, lastName: p.lastName, language: lang }, p.link);

  const name = fc.oneof(
    fc.string({ maxLength: 30 }),
    fc.constantFrom('Zoë', "O'Brien & <Co>", 'محمد', '李雷', '👩‍💻 Ada', 'Åsa-Märta', '"quoted"', '%%not-a-key%%', '{candidate_name}'),
  );
  const person = fc.record({ firstName: name, lastName: name, link: fc.option(fc.constantFrom('https://k.example.com/r/a_b-1', 'https://k.example.com/r/x?y=1&z=2'), { nil: null }) });

  it('gives every recipient exactly its own email, or leaves it to be sent alone', () => {
    fc.assert(
      fc.property(fc.constantFrom(...LANGUAGES), fc.array(person, { minLength: 1, maxLength: 8 }), (lang, people) => {
        const render = renderFor(lang);
        const values = people.map((p) => valuesOf(lang, p));
        const plan = planSubstitutions(render, values, 'n0nce');
        expect([...plan.members.map((m) => m.index), ...plan.alone].sort((a, b) => a - b)).toEqual(people.map((_, i) => i));
        for (const m of plan.members) {
          const own = render(values[m.index]);
          expect(applySubstitutions(plan.html, m.substitutions)).toBe(own.html);
          expect(applySubstitutions(plan.text, m.substitutions)).toBe(own.text);
          expect(m.subject).toBe(own.subject);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('batches ordinary candidates: names with HTML specials, emoji and right-to-left text, each with their own link', () => {
    const render = renderFor('sv', 'Påminnelse till {candidate_name}', 'Hej {candidate_first_name} {candidate_last_name}!\n\n{confirmlink}');
    const people: Person[] = [
      { firstName: 'Anna', lastName: 'Lindqvist', link: 'https://k.example.com/r/t1' },
      { firstName: "O'Brien & <Co>", lastName: 'محمد', link: 'https://k.example.com/r/t2?a=1&b=2' },
      { firstName: '👩‍💻 Ada', lastName: '', link: 'https://k.example.com/r/t3' },
    ];
    const values = people.map((p) => valuesOf('sv', p));
    const plan = planSubstitutions(render, values, 'n0nce');
    expect(plan.alone).toEqual([]);
    expect(plan.members.map((m) => m.subject)).toEqual(['Påminnelse till Anna Lindqvist', "Påminnelse till O'Brien & <Co> محمد", 'Påminnelse till 👩‍💻 Ada']);
    expect(plan.html).not.toContain('Anna');
    expect(applySubstitutions(plan.html, plan.members[1].substitutions)).toContain('href="https://k.example.com/r/t2?a=1&amp;b=2"');
    expect(applySubstitutions(plan.text, plan.members[1].substitutions)).toContain("Hej O'Brien & <Co> محمد!");
  });

  it('leaves a recipient without a confirm link to be sent alone when the others have one', () => {
    const render = renderFor('en');
    const values = [
      valuesOf('en', { firstName: 'A', lastName: 'B', link: 'https://k.example.com/r/1' }),
      valuesOf('en', { firstName: 'C', lastName: 'D', link: null }),
      valuesOf('en', { firstName: 'E', lastName: 'F', link: 'https://k.example.com/r/2' }),
    ];
    const plan = planSubstitutions(render, values, 'n0nce');
    expect(plan.members.map((m) => m.index)).toEqual([0, 2]);
    expect(plan.alone).toEqual([1]);
  });
});
