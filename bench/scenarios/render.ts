/** §6 per-message rendering: precompiled HTML filled per message vs MJML per message, same input, same run. */
import { LANGUAGES, Language } from '../../src/common/domain';
import { defaultTemplates } from '../../src/notifications/email/default-templates';
import { EmailRenderer, renderWithMjmlPerMessage, RenderInput } from '../../src/notifications/email/email.renderer';
import { mergeValues } from '../../src/notifications/email/interview-values';
import { compileTemplate, withConfirmLink } from '../../src/notifications/email/merge-tags';
import { fig, Figure, log } from '../lib';

function inputs(n: number): RenderInput[] {
  const out: RenderInput[] = [];
  const compiled = new Map<Language, { s: ReturnType<typeof compileTemplate>; c: ReturnType<typeof compileTemplate> }>();
  for (const lang of LANGUAGES) {
    const t = defaultTemplates(lang).invitation;
    compiled.set(lang, { s: compileTemplate(t.subject), c: compileTemplate(withConfirmLink(t.content, true)) });
  }
  const startsAt = new Date('2030-03-12T09:00:00Z');
  for (let i = 0; i < n; i++) {
    const lang = LANGUAGES[i % LANGUAGES.length];
    const t = compiled.get(lang)!;
    out.push({
      language: lang,
      kind: 'invitation',
      subject: t.s,
      content: t.c,
      values: mergeValues(
        { projectTitle: 'Backend Engineer Göteborg', type: 'phone', startsAt, durationMinutes: 45, timezone: 'Europe/Stockholm', location: 'Kungsgatan 1, Göteborg', recruiterNames: ['Rita Rekryterare', 'Sam Svensson'], senderName: 'Rita Rekryterare' },
        { firstName: `Anna${i}`, lastName: i % 7 === 0 ? '<script>alert(1)</script>' : 'Lindqvist', language: lang },
        `http://localhost:3000/r/${'x'.repeat(20)}${i.toString(36)}`,
      ),
    });
  }
  return out;
}

export async function render(opts: { quick: boolean }): Promise<{ figures: Figure[]; raw: any }> {
  const renderer = await EmailRenderer.create();
  const data = inputs(1000);
  let sink = 0;
  // fast path: warm up, then time
  for (let i = 0; i < 20_000; i++) sink += renderer.render(data[i % data.length]).html.length;
  const fastN = opts.quick ? 100_000 : 300_000;
  let t0 = process.hrtime.bigint();
  for (let i = 0; i < fastN; i++) sink += renderer.render(data[i % data.length]).html.length;
  const fastUs = Number(process.hrtime.bigint() - t0) / 1000 / fastN;

  // fast path including the per-message merge values (dates/times formatted in the candidate's language)
  const facts = { projectTitle: 'Backend Engineer Göteborg', type: 'phone' as const, startsAt: new Date('2030-03-12T09:00:00Z'), durationMinutes: 45, timezone: 'Europe/Stockholm', location: 'Kungsgatan 1, Göteborg', recruiterNames: ['Rita Rekryterare', 'Sam Svensson'], senderName: 'Rita Rekryterare' };
  t0 = process.hrtime.bigint();
  const withValuesN = opts.quick ? 20_000 : 100_000;
  for (let i = 0; i < withValuesN; i++) {
    const d = data[i % data.length];
    const values = mergeValues(facts, { firstName: `Anna${i}`, lastName: 'Lindqvist', language: d.language }, `http://localhost:3000/r/tok${i}`);
    sink += renderer.render({ ...d, values }).html.length;
  }
  const withValuesUs = Number(process.hrtime.bigint() - t0) / 1000 / withValuesN;

  // MJML per message (the peers' path), same inputs
  for (let i = 0; i < 10; i++) sink += (await renderWithMjmlPerMessage(data[i])).html.length;
  const mjmlN = opts.quick ? 100 : 300;
  t0 = process.hrtime.bigint();
  for (let i = 0; i < mjmlN; i++) sink += (await renderWithMjmlPerMessage(data[i % data.length])).html.length;
  const mjmlUs = Number(process.hrtime.bigint() - t0) / 1000 / mjmlN;
  const ratio = mjmlUs / fastUs;
  log(`render: fast ${fastUs.toFixed(2)} µs, fast+values ${withValuesUs.toFixed(2)} µs, mjml ${mjmlUs.toFixed(0)} µs (sink ${sink})`);
  return {
    figures: [
      fig('render.fast.us', 'Per-message render, precompiled (fill + join)', fastUs, 'µs/msg', '~1 µs', null, `${fastN} renders, default invitation template, 5 languages`),
      fig('render.fast_values.us', 'Per-message render incl. merge values (dates in language)', withValuesUs, 'µs/msg', '—', null),
      fig('render.mjml.us', 'Per-message render, MJML per message', mjmlUs, 'µs/msg', '~3 ms', null, `${mjmlN} renders`),
      fig('render.ratio', 'Rendering speed-up vs MJML per message', ratio, '×', '≥ 1000×', ratio >= 1000),
      fig('render.ratio_values', 'Speed-up incl. merge values', mjmlUs / withValuesUs, '×', '—', null),
    ],
    raw: { fastUs, withValuesUs, mjmlUs, ratio, fastN, mjmlN },
  };
}
