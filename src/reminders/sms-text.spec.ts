import fc from 'fast-check';
import { LANGUAGES, Language } from '../common/domain';
import { parseSmsReply } from '../responses/sms-keyword.parser';
import {
  gsm7Segments,
  isGsm7,
  SMS_ANSWER_KEYWORDS,
  smsAnswerReceipt,
  SmsReceiptKind,
  smsHelpText,
  SmsReminderInput,
  smsReminderText,
  toGsm7,
} from './sms-text';

describe('gsm7Segments', () => {
  it.each<[string, 'GSM-7' | 'UCS-2', number, number]>([
    ['', 'GSM-7', 1, 0],
    ['Hello', 'GSM-7', 1, 5],
    ['a'.repeat(160), 'GSM-7', 1, 160],
    ['a'.repeat(161), 'GSM-7', 2, 161],
    ['a'.repeat(306), 'GSM-7', 2, 306],
    ['a'.repeat(307), 'GSM-7', 3, 307],
    ['Hej Åsa! Påminnelse: ÅÄÖ åäö ÉéÜüÑñ Øø Ææ ß à', 'GSM-7', 1, 45],
    ['€', 'GSM-7', 1, 2],
    ['|^€{}[]~\\', 'GSM-7', 1, 18],
    ['€'.repeat(80), 'GSM-7', 1, 160],
    ['€'.repeat(81), 'GSM-7', 2, 162],
    ['a'.repeat(152) + '€' + 'a'.repeat(152), 'GSM-7', 3, 306], // the escape is not split across parts
    ['Zoë', 'UCS-2', 1, 3],
    ['ë'.repeat(70), 'UCS-2', 1, 70],
    ['ë'.repeat(71), 'UCS-2', 2, 71],
    ['ë'.repeat(134), 'UCS-2', 2, 134],
    ['ë'.repeat(135), 'UCS-2', 3, 135],
    ['😀', 'UCS-2', 1, 2],
    ['a'.repeat(66) + '😀' + 'a'.repeat(66), 'UCS-2', 3, 134], // the surrogate pair is not split
    ['Hi “Anna”', 'UCS-2', 1, 9],
  ])('%p', (text, encoding, segments, units) => {
    expect(gsm7Segments(text)).toEqual({ encoding, segments, units });
  });

  it('toGsm7 makes text GSM-7', () => {
    expect(toGsm7('Zoë  “Łukasz”  O’Brien – ç 😀')).toBe('Zoe "Lukasz" O\'Brien - Ç');
    expect(toGsm7('Åsa Öberg-Ärlig')).toBe('Åsa Öberg-Ärlig');
    expect(toGsm7('李明')).toBe('');
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (s) => expect(isGsm7(toGsm7(s))).toBe(true)));
  });
});

const input = (language: Language, over: Partial<SmsReminderInput> = {}): SmsReminderInput => ({
  language,
  candidateFirstName: 'Anna',
  interviewType: language === 'en' ? 'phone interview' : 'telefonintervju',
  dateText: language === 'en' ? 'Tue 8 Dec' : 'tis 8 dec',
  timeText: '10:00',
  location: 'Kungsgatan 1',
  ref: 'K7QX',
  senderName: 'Acme',
  ...over,
});

function expectKeywordsAndRef(text: string, language: Language, ref: string) {
  expect(text).toContain(ref);
  const words = text.split(/[^\p{L}\p{N}]+/u);
  for (const kw of Object.values(SMS_ANSWER_KEYWORDS[language])) expect(words).toContain(kw);
}

describe('smsReminderText', () => {
  it('en example', () => {
    expect(smsReminderText(input('en'))).toBe(
      'Hi Anna! Reminder: phone interview Tue 8 Dec at 10:00, Kungsgatan 1. Reply YES to confirm, NO to decline, NEW for a new time, WITHDRAW to withdraw. Ref K7QX /Acme',
    );
  });

  it('sv uses JA/NEJ/NY/ÅTERKALLA', () => {
    const t = smsReminderText(input('sv'));
    expect(t).toMatch(/^Hej Anna! Påminnelse: telefonintervju tis 8 dec kl\. 10:00, Kungsgatan 1\./);
    expectKeywordsAndRef(t, 'sv', 'K7QX');
  });

  it('falls back to English for an unknown language', () => {
    expect(smsReminderText({ ...input('en'), language: 'xx' as Language })).toBe(smsReminderText(input('en')));
  });

  it.each(LANGUAGES)('%s: ≤ 2 GSM-7 segments with a 40-char name and 80-char location; ref and keywords present', (language) => {
    const name = 'Maximiliana-Alexandra Östergren-Lindqvi'.padEnd(40, 'x');
    const location = 'Stora Nygatan 123, 3 tr, Kontorshuset Ängen, ingång från gården, 111 27 Stockholm'.slice(0, 80);
    expect(name).toHaveLength(40);
    expect(location).toHaveLength(80);
    for (const over of [{}, { candidateFirstName: name }, { location }, { candidateFirstName: name, location, senderName: 'Rekryteringsbolaget Norden AB Stockholm' }]) {
      const t = smsReminderText(input(language, over));
      const seg = gsm7Segments(t);
      expect(seg.encoding).toBe('GSM-7');
      expect(seg.segments).toBeLessThanOrEqual(2);
      expectKeywordsAndRef(t, language, 'K7QX');
    }
    // the plain case keeps the location
    expect(smsReminderText(input(language))).toContain('Kungsgatan 1');
  });

  it('drops the location first, then shortens name and sender', () => {
    const location = 'L'.repeat(250);
    const t1 = smsReminderText(input('en', { location }));
    expect(t1).not.toContain('LLLL');
    expect(t1).toContain('Hi Anna!');
    expect(t1).toContain('/Acme');
    const t2 = smsReminderText(input('en', { location, candidateFirstName: 'N'.repeat(100), senderName: 'S'.repeat(100) }));
    expect(gsm7Segments(t2).segments).toBeLessThanOrEqual(2);
    expectKeywordsAndRef(t2, 'en', 'K7QX');
  });

  it('non-GSM characters do not force UCS-2', () => {
    const t = smsReminderText(input('en', { candidateFirstName: 'Zoë 😀', location: '“Plaza” – Łódź' }));
    expect(t).toContain('Hi Zoe!');
    expect(t).toContain('"Plaza" - Lodz');
    expect(gsm7Segments(t).encoding).toBe('GSM-7');
    expect(smsReminderText(input('en', { candidateFirstName: '李明' }))).toMatch(/^Hi! Reminder:/);
  });

  it.each(LANGUAGES)('%s: the shown keywords parse to the right answers', (language) => {
    for (const [answer, kw] of Object.entries(SMS_ANSWER_KEYWORDS[language])) {
      expect(parseSmsReply(`${kw} K7QX`)).toEqual({ kind: 'answer', answer, ref: 'K7QX' });
      expect(parseSmsReply(kw.toLowerCase())).toEqual({ kind: 'answer', answer, ref: null });
    }
  });

  it('property: random GSM names/locations always fit 2 segments and keep ref and keywords', () => {
    const gsmChar = fc.constantFrom(
      ...Array.from('@£$¥èéùìòÇØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà^{}\\[~]|€'),
    );
    const gsmText = (maxLength: number) => fc.string({ unit: gsmChar, maxLength });
    const refArb = fc.string({ unit: fc.constantFrom(...Array.from('ABCDEFGHJKMNPQRSTUVWXYZ23456789')), minLength: 4, maxLength: 4 });
    fc.assert(
      fc.property(
        fc.constantFrom(...LANGUAGES),
        gsmText(60),
        fc.option(gsmText(200), { nil: null }),
        gsmText(60),
        refArb,
        (language, name, location, sender, ref) => {
          const t = smsReminderText(input(language, { candidateFirstName: name, location, senderName: sender, ref }));
          expect(gsm7Segments(t).segments).toBeLessThanOrEqual(2);
          expect(gsm7Segments(t).encoding).toBe('GSM-7');
          expectKeywordsAndRef(t, language, ref);
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('smsHelpText and smsAnswerReceipt', () => {
  const kinds: SmsReceiptKind[] = ['yes', 'no', 'new_time', 'withdraw', 'unknown_number', 'already_final', 'free_text_forwarded', 'opt_out', 'opt_in'];

  it.each(LANGUAGES)('%s help lists the keywords, fits one segment', (language) => {
    for (const ref of [null, 'K7QX']) {
      const t = smsHelpText(language, ref);
      expect(gsm7Segments(t)).toMatchObject({ encoding: 'GSM-7', segments: 1 });
      expectKeywordsAndRef(t, language, ref ?? '');
    }
    expect(smsHelpText(language, 'K7QX')).toContain('K7QX');
  });

  it.each(LANGUAGES)('%s receipts are one GSM-7 segment', (language) => {
    for (const k of kinds) {
      const t = smsAnswerReceipt(language, k);
      expect(t.length).toBeGreaterThan(0);
      expect(gsm7Segments(t)).toMatchObject({ encoding: 'GSM-7', segments: 1 });
    }
  });

  it('en/sv examples', () => {
    expect(smsAnswerReceipt('en', 'unknown_number')).toBe('Sorry, we could not find an interview for this number.');
    expect(smsAnswerReceipt('sv', 'yes')).toBe('Tack! Du har bekräftat intervjun.');
    expect(smsAnswerReceipt('xx' as Language, 'no')).toBe(smsAnswerReceipt('en', 'no'));
  });
});
