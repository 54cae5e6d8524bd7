import fc from 'fast-check';
import type { Answer } from '../common/domain';
import { foldKeyword, isRef, newRef, parseSmsReply, REF_ALPHABET, SMS_KEYWORD_WORDS } from './sms-keyword.parser';

describe('parseSmsReply — table', () => {
  it.each<[string, Answer, string | null]>([
    ['YES', 'yes', null],
    ['  yes!', 'yes', null],
    ['Yes.', 'yes', null],
    ['Ja.', 'yes', null],
    ['ja', 'yes', null],
    ['JA!!!', 'yes', null],
    ['kyllä', 'yes', null],
    ['KYLLA', 'yes', null],
    ['no', 'no', null],
    ['No thanks'.slice(0, 2), 'no', null],
    ['nej', 'no', null],
    ['NEJ.', 'no', null],
    ['Nei', 'no', null],
    ['ei', 'no', null],
    ['NEW', 'new_time', null],
    ['new time', 'new_time', null],
    ['Ny', 'new_time', null],
    ['ny tid?', 'new_time', null],
    ['UUSI', 'new_time', null],
    ['WITHDRAW', 'withdraw', null],
    ['withdraw.', 'withdraw', null],
    ['ÅTERKALLA', 'withdraw', null],
    ['aterkalla', 'withdraw', null],
    ['Återkalla', 'withdraw', null],
    ['A\u030Aterkalla', 'withdraw', null], // decomposed Å
    ['trekk', 'withdraw', null],
    ['Træk', 'withdraw', null],
    ['peru', 'withdraw', null],
    ['YES K7QX', 'yes', 'K7QX'],
    ['k7qx ja', 'yes', 'K7QX'],
    ['Ja, K7QX', 'yes', 'K7QX'],
    ['"nej" (abcd)', 'no', 'ABCD'],
    ['K7QX: NY TID', 'new_time', 'K7QX'],
    ['återkalla 23ab', 'withdraw', '23AB'],
    ['PERU K7QX', 'withdraw', 'K7QX'],
    ['K7QX PERU', 'withdraw', 'K7QX'],
    ['\n\tYes\r\n', 'yes', null],
    ['👍 yes 👍', 'yes', null],
  ])('%p → %s (ref %p)', (body, answer, ref) => {
    expect(parseSmsReply(body)).toEqual({ kind: 'answer', answer, ref });
  });

  it.each(['STOP', 'stop', 'Stop.', 'STOPALL', 'unsubscribe', 'Cancel', 'END', 'quit', 'stopp', 'STOP K7QX'])('%p → opt_out', (body) => {
    expect(parseSmsReply(body)).toEqual({ kind: 'opt_out' });
  });

  it.each(['START', 'start!', 'UNSTOP'])('%p → opt_in', (body) => {
    expect(parseSmsReply(body)).toEqual({ kind: 'opt_in' });
  });

  it.each<[string, string | null]>([
    ['HELP', null],
    ['help?', null],
    ['info', null],
    ['HJÄLP', null],
    ['hjälp K7QX', 'K7QX'],
    ['hjelp', null],
  ])('%p → help (ref %p)', (body, ref) => {
    expect(parseSmsReply(body)).toEqual({ kind: 'help', ref });
  });

  it.each<[string, string, string | null]>([
    ["  I'll be 10 minutes late  ", "I'll be 10 minutes late", null],
    ['kan vi ta torsdag?', 'kan vi ta torsdag?', null],
    ['yes but I will be late', 'yes but I will be late', null],
    ['Ja, men jag blir sen', 'Ja, men jag blir sen', null],
    ['BRA!', 'BRA!', null],
    ['bra tack', 'bra tack', null], // lower-case words are not refs
    ['Tack', 'Tack', null],
    ['K7QX jag blir sen', 'K7QX jag blir sen', 'K7QX'],
    ['jag blir sen k7qx', 'jag blir sen k7qx', 'K7QX'], // contains a digit
    ['jag blir sen (K7QX).', 'jag blir sen (K7QX).', 'K7QX'],
    ['K7QX', 'K7QX', null], // a lone ref is no message
    ['', '', null],
    ['   ', '', null],
    ['yes yes', 'yes yes', null],
    ['no no no no no', 'no no no no no', null],
  ])('free text %p', (body, text, ref) => {
    expect(parseSmsReply(body)).toEqual({ kind: 'free_text', text, ref });
  });
});

describe('refs', () => {
  it('alphabet has no look-alikes', () => {
    expect(REF_ALPHABET).toHaveLength(31);
    for (const c of '01OIL') expect(REF_ALPHABET).not.toContain(c);
  });

  it.each([
    ['K7QX', true],
    ['k7qx', true],
    ['ABCD', true],
    ['K7Q', false],
    ['K7QXX', false],
    ['K0QX', false],
    ['KIQX', false],
    ['', false],
  ])('isRef(%p) = %p', (s, ok) => expect(isRef(s)).toBe(ok));

  it('newRef gives valid refs with a digit', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), { minLength: 8, maxLength: 8 }), (xs) => {
        let i = 0;
        const ref = newRef(() => xs[i++ % xs.length]);
        expect(isRef(ref)).toBe(true);
        expect(ref).toMatch(/\d/);
      }),
    );
    expect(newRef(() => 0)).toMatch(/^[A-Z2-9]{4}$/);
    expect(isRef(newRef())).toBe(true);
    expect(newRef(() => 0.999999)).toBe('9999');
  });
});

describe('parseSmsReply — properties', () => {
  const keywords: [string, Answer][] = [
    ['YES', 'yes'], ['JA', 'yes'], ['KYLLÄ', 'yes'],
    ['NO', 'no'], ['NEJ', 'no'], ['NEI', 'no'], ['EI', 'no'],
    ['NEW', 'new_time'], ['NY', 'new_time'], ['UUSI', 'new_time'], ['NY TID', 'new_time'],
    ['WITHDRAW', 'withdraw'], ['ÅTERKALLA', 'withdraw'], ['ATERKALLA', 'withdraw'], ['TREKK', 'withdraw'], ['TRÆK', 'withdraw'], ['PERU', 'withdraw'],
  ];
  const surround = fc.string({ unit: fc.constantFrom(...' \t\n.,!?;:-()"\'…¡¿*«»/'.split('')), maxLength: 6 });
  const randomCase = (s: string) =>
    fc.array(fc.boolean(), { minLength: s.length, maxLength: s.length }).map((bs) => s.split('').map((c, i) => (bs[i] ? c.toLowerCase() : c)).join(''));
  const refArb = fc.array(fc.constantFrom(...REF_ALPHABET.split('')), { minLength: 4, maxLength: 4 }).map((cs) => cs.join(''));

  it('(a) any keyword in any casing with surrounding punctuation/whitespace is that answer', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...keywords).chain(([k, a]) => fc.tuple(randomCase(k), fc.constant(a))),
        surround,
        surround,
        fc.option(fc.tuple(refArb, fc.boolean(), fc.constantFrom(' ', ', ', ': ', ' - ')), { nil: undefined }),
        ([kw, answer], pre, post, refOpt) => {
          let body = kw;
          let ref: string | null = null;
          if (refOpt) {
            const [r, before, sep] = refOpt;
            ref = r;
            body = before ? `${r.toLowerCase()}${sep}${kw}` : `${kw}${sep}${r}`;
          }
          expect(parseSmsReply(pre + body + post)).toEqual({ kind: 'answer', answer, ref });
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('(b) never throws for arbitrary strings', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }), fc.string()), (s) => {
        const r = parseSmsReply(s);
        expect(['answer', 'opt_out', 'opt_in', 'help', 'free_text']).toContain(r.kind);
        if (r.kind === 'free_text') expect(r.text).toBe(s.trim());
      }),
      { numRuns: 1000 },
    );
    expect(() => parseSmsReply(undefined as unknown as string)).not.toThrow();
  });

  it('(c) text without keyword words is free text with the trimmed body', () => {
    const word = fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzåäöABCDEFGHIJKLMNOPQRSTUVWXYZÅÄÖ0123456789'.split('')), minLength: 1, maxLength: 9 });
    fc.assert(
      fc.property(
        fc.array(word, { minLength: 1, maxLength: 8 }).filter((ws) => ws.every((w) => !SMS_KEYWORD_WORDS.has(foldKeyword(w)))),
        fc.array(fc.constantFrom(' ', ', ', '. ', '! ', '? ', '\n'), { minLength: 8, maxLength: 8 }),
        surround,
        surround,
        (ws, seps, pre, post) => {
          const body = pre + ws.map((w, i) => (i === 0 ? w : seps[i] + w)).join('') + post;
          const r = parseSmsReply(body);
          expect(r.kind).toBe('free_text');
          if (r.kind === 'free_text') {
            expect(r.text).toBe(body.trim());
            if (r.ref !== null) expect(isRef(r.ref)).toBe(true);
          }
        },
      ),
      { numRuns: 1000 },
    );
  });
});
