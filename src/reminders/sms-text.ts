/**
 * SMS texts for candidates: the reminder, the help text and the short TwiML receipts.
 * Pure; no I/O. All texts are GSM-7 (the fixed wording of every language — incl. å ä ö æ ø —
 * lies in the GSM 03.38 basic set), and the reminder is kept within 2 GSM-7 segments.
 *
 * Variable fields (name, type, date, time, location, sender, ref) are made GSM-7-safe before
 * use (`toGsm7`): typographic quotes/dashes become ASCII, letters outside GSM lose their
 * diacritics (Zoë → Zoe, Ł → L), and characters with no GSM-7 equivalent (emoji, CJK …) are
 * dropped. A name that becomes empty is left out ("Hi!"). This keeps a single non-GSM
 * character from turning the SMS into
 * UCS-2 (70/67 units per segment), which would not fit the keywords in 2 segments.
 */
import type { Answer, Language } from '../common/domain';

// GSM 03.38 basic character set (ESC 0x1B excluded) and the extension table (2 units each).
const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM_EXTENDED = '\f^{}\\[~]|€';
const BASIC = new Set(Array.from(GSM_BASIC));
const EXTENDED = new Set(Array.from(GSM_EXTENDED));

export function isGsm7(text: string): boolean {
  for (const c of text) if (!BASIC.has(c) && !EXTENDED.has(c)) return false;
  return true;
}

/**
 * Encoding, segment count and length in units (GSM-7 septets, extension characters counting 2;
 * or UTF-16 code units for UCS-2). One segment holds 160 septets / 70 UCS-2 units; a
 * multipart message holds 153 / 67 per segment, and a 2-unit character (GSM escape, UTF-16
 * surrogate pair) is never split across segments. The empty text is 1 segment (0 units).
 */
export function gsm7Segments(text: string): { encoding: 'GSM-7' | 'UCS-2'; segments: number; units: number } {
  const gsm = isGsm7(text);
  const sizes: number[] = [];
  for (const c of text) sizes.push(gsm ? (EXTENDED.has(c) ? 2 : 1) : c.length);
  const units = sizes.reduce((a, b) => a + b, 0);
  const single = gsm ? 160 : 70;
  const part = gsm ? 153 : 67;
  if (units <= single) return { encoding: gsm ? 'GSM-7' : 'UCS-2', segments: 1, units };
  let segments = 1;
  let used = 0;
  for (const s of sizes) {
    if (used + s > part) {
      segments++;
      used = 0;
    }
    used += s;
  }
  return { encoding: gsm ? 'GSM-7' : 'UCS-2', segments, units };
}

const REPLACEMENTS: Record<string, string> = {
  '\u2018': "'", '\u2019': "'", '\u201A': "'", '\u2032': "'", '`': "'", '´': "'",
  '\u201C': '"', '\u201D': '"', '\u201E': '"', '\u2033': '"', '«': '"', '»': '"',
  '\u2010': '-', '\u2011': '-', '\u2012': '-', '\u2013': '-', '\u2014': '-', '\u2212': '-',
  '\u2026': '...', '\u2022': '-', '·': '.',
  ç: 'Ç', Ł: 'L', ł: 'l', Đ: 'D', đ: 'd', Þ: 'Th', þ: 'th', Ð: 'D', ð: 'd', œ: 'oe', Œ: 'OE', ı: 'i',
};

/** Makes a field GSM-7-safe (see the file comment); whitespace runs become one space; trimmed. */
export function toGsm7(text: string): string {
  let out = '';
  for (const c of text ?? '') {
    if (/\s/u.test(c)) {
      out += ' ';
    } else if (BASIC.has(c) || EXTENDED.has(c)) {
      out += c;
    } else if (REPLACEMENTS[c] !== undefined) {
      out += REPLACEMENTS[c];
    } else {
      for (const d of c.normalize('NFD')) {
        if (BASIC.has(d) || EXTENDED.has(d)) out += d;
      }
    }
  }
  return out.replace(/ {2,}/g, ' ').trim();
}

export interface SmsReminderInput {
  language: Language;
  candidateFirstName: string;
  /** Already localised label, e.g. "phone interview" / "telefonintervju". */
  interviewType: string;
  dateText: string;
  timeText: string;
  location: string | null;
  ref: string;
  senderName: string;
}

/** The answer keyword shown to candidates in each language (all are understood by the parser). */
export const SMS_ANSWER_KEYWORDS: Readonly<Record<Language, Readonly<Record<Answer, string>>>> = {
  en: { yes: 'YES', no: 'NO', new_time: 'NEW', withdraw: 'WITHDRAW' },
  sv: { yes: 'JA', no: 'NEJ', new_time: 'NY', withdraw: 'ÅTERKALLA' },
  nb: { yes: 'JA', no: 'NEI', new_time: 'NY', withdraw: 'TREKK' },
  da: { yes: 'JA', no: 'NEJ', new_time: 'NY', withdraw: 'TRÆK' },
  fi: { yes: 'KYLLÄ', no: 'EI', new_time: 'UUSI', withdraw: 'PERU' },
};

interface Parts {
  name: string;
  type: string;
  date: string;
  time: string;
  loc: string;
  ref: string;
  sender: string;
  compact: boolean;
}

const sig = (p: Parts) => (p.sender ? ` /${p.sender}` : '');
const loc = (p: Parts) => (p.loc ? `, ${p.loc}` : '');
const hi = (word: string, p: Parts) => (p.name ? `${word} ${p.name}!` : `${word}!`);

const REMINDER: Record<Language, (p: Parts) => string> = {
  en: (p) =>
    `${hi('Hi', p)} Reminder: ${p.type} ${p.date} at ${p.time}${loc(p)}. ` +
    (p.compact
      ? 'Reply YES, NO, NEW (new time) or WITHDRAW.'
      : 'Reply YES to confirm, NO to decline, NEW for a new time, WITHDRAW to withdraw.') +
    ` Ref ${p.ref}${sig(p)}`,
  sv: (p) =>
    `${hi('Hej', p)} Påminnelse: ${p.type} ${p.date} kl. ${p.time}${loc(p)}. ` +
    (p.compact
      ? 'Svara JA, NEJ, NY (ny tid) eller ÅTERKALLA.'
      : 'Svara JA för att bekräfta, NEJ för att tacka nej, NY för ny tid, ÅTERKALLA för att återkalla din ansökan.') +
    ` Ref ${p.ref}${sig(p)}`,
  nb: (p) =>
    `${hi('Hei', p)} Påminnelse: ${p.type} ${p.date} kl. ${p.time}${loc(p)}. ` +
    (p.compact
      ? 'Svar JA, NEI, NY (ny tid) eller TREKK.'
      : 'Svar JA for å bekrefte, NEI for å avslå, NY for nytt tidspunkt, TREKK for å trekke søknaden.') +
    ` Ref ${p.ref}${sig(p)}`,
  da: (p) =>
    `${hi('Hej', p)} Påmindelse: ${p.type} ${p.date} kl. ${p.time}${loc(p)}. ` +
    (p.compact
      ? 'Svar JA, NEJ, NY (ny tid) eller TRÆK.'
      : 'Svar JA for at bekræfte, NEJ for at melde afbud, NY for et nyt tidspunkt, TRÆK for at trække ansøgningen.') +
    ` Ref ${p.ref}${sig(p)}`,
  fi: (p) =>
    `${hi('Hei', p)} Muistutus: ${p.type} ${p.date} klo ${p.time}${loc(p)}. ` +
    (p.compact
      ? 'Vastaa KYLLÄ, EI, UUSI (uusi aika) tai PERU.'
      : 'Vastaa KYLLÄ vahvistaaksesi, EI jos et pääse, UUSI jos haluat uuden ajan, PERU jos perut hakemuksesi.') +
    ` Viite ${p.ref}${sig(p)}`,
};

function lang(language: Language): Language {
  return Object.prototype.hasOwnProperty.call(REMINDER, language) ? language : 'en';
}

function cut(s: string, max: number): string {
  const cs = Array.from(s);
  return cs.length <= max ? s : cs.slice(0, max).join('').trim();
}

const fits = (text: string) => gsm7Segments(text).segments <= 2;

/**
 * The SMS reminder in the candidate's language (unknown language → English), within 2 GSM-7
 * segments. If too long: the location is dropped first, then name and sender are shortened
 * (15 chars), then the keyword sentence is made compact, then name and sender are left out,
 * and finally type/date/time are cut. The ref and the four keywords are never dropped.
 */
export function smsReminderText(input: SmsReminderInput): string {
  const render = REMINDER[lang(input.language)];
  const base: Parts = {
    name: toGsm7(input.candidateFirstName),
    type: toGsm7(input.interviewType),
    date: toGsm7(input.dateText),
    time: toGsm7(input.timeText),
    loc: toGsm7(input.location ?? ''),
    ref: toGsm7(input.ref),
    sender: toGsm7(input.senderName),
    compact: false,
  };
  const attempts: Parts[] = [
    base,
    { ...base, loc: '' },
    { ...base, loc: '', name: cut(base.name, 15), sender: cut(base.sender, 15) },
    { ...base, loc: '', name: cut(base.name, 15), sender: cut(base.sender, 15), compact: true },
    { ...base, loc: '', name: '', sender: '', compact: true },
    { ...base, loc: '', name: '', sender: '', compact: true, type: cut(base.type, 30), date: cut(base.date, 20), time: cut(base.time, 10) },
  ];
  let text = '';
  for (const p of attempts) {
    text = render(p);
    if (fits(text)) return text;
  }
  return text;
}

const HELP: Record<Language, (ref: string | null) => string> = {
  en: (ref) =>
    `Reply YES to confirm, NO to decline, NEW for a new time or WITHDRAW to withdraw your application${ref ? `, e.g. "YES ${ref}"` : ''}. STOP = no more SMS.`,
  sv: (ref) =>
    `Svara JA för att bekräfta, NEJ för att tacka nej, NY för ny tid eller ÅTERKALLA för att återkalla ansökan${ref ? `, t.ex. "JA ${ref}"` : ''}. STOP = inga fler sms.`,
  nb: (ref) =>
    `Svar JA for å bekrefte, NEI for å avslå, NY for nytt tidspunkt eller TREKK for å trekke søknaden${ref ? `, f.eks. "JA ${ref}"` : ''}. STOP = ingen flere SMS.`,
  da: (ref) =>
    `Svar JA for at bekræfte, NEJ for at melde afbud, NY for et nyt tidspunkt eller TRÆK for at trække ansøgningen${ref ? `, f.eks. "JA ${ref}"` : ''}. STOP = ingen flere sms.`,
  fi: (ref) =>
    `Vastaa KYLLÄ vahvistaaksesi, EI jos et pääse, UUSI jos haluat uuden ajan tai PERU jos perut hakemuksesi${ref ? `, esim. "KYLLÄ ${ref}"` : ''}. STOP = ei enää tekstiviestejä.`,
};

/** A short help text listing the keywords (with an example using the ref when given). */
export function smsHelpText(language: Language, ref: string | null): string {
  return HELP[lang(language)](ref ? toGsm7(ref) : null);
}

export type SmsReceiptKind = Answer | 'unknown_number' | 'already_final' | 'free_text_forwarded' | 'opt_out' | 'opt_in';

const RECEIPTS: Record<Language, Record<SmsReceiptKind, string>> = {
  en: {
    yes: 'Thank you! You have confirmed the interview.',
    no: 'Thank you for letting us know. You have declined the interview.',
    new_time: 'Thank you! We will contact you about a new time.',
    withdraw: 'Your application has been withdrawn. Thank you for your interest.',
    unknown_number: 'Sorry, we could not find an interview for this number.',
    already_final: 'Sorry, your answer can no longer be changed. Please contact the recruiter.',
    free_text_forwarded: 'Thank you, your message has been passed on. To answer, reply YES, NO, NEW or WITHDRAW.',
    opt_out: 'You will no longer receive SMS from us. Reply START to receive them again.',
    opt_in: 'You will receive SMS from us again. Reply STOP to stop them.',
  },
  sv: {
    yes: 'Tack! Du har bekräftat intervjun.',
    no: 'Tack för beskedet. Du har tackat nej till intervjun.',
    new_time: 'Tack! Vi hör av oss om en ny tid.',
    withdraw: 'Din ansökan är återkallad. Tack för ditt intresse.',
    unknown_number: 'Tyvärr hittade vi ingen intervju för det här numret.',
    already_final: 'Tyvärr kan ditt svar inte längre ändras. Kontakta rekryteraren.',
    free_text_forwarded: 'Tack, ditt meddelande har skickats vidare. Svara JA, NEJ, NY eller ÅTERKALLA för att svara.',
    opt_out: 'Du får inga fler sms från oss. Svara START för att få sms igen.',
    opt_in: 'Du får sms från oss igen. Svara STOP för att sluta få dem.',
  },
  nb: {
    yes: 'Takk! Du har bekreftet intervjuet.',
    no: 'Takk for beskjed. Du har takket nei til intervjuet.',
    new_time: 'Takk! Vi kontakter deg om et nytt tidspunkt.',
    withdraw: 'Søknaden din er trukket. Takk for interessen.',
    unknown_number: 'Beklager, vi fant ikke noe intervju for dette nummeret.',
    already_final: 'Beklager, svaret ditt kan ikke lenger endres. Kontakt rekruttereren.',
    free_text_forwarded: 'Takk, meldingen din er sendt videre. Svar JA, NEI, NY eller TREKK for å svare.',
    opt_out: 'Du får ikke flere SMS fra oss. Svar START for å få SMS igjen.',
    opt_in: 'Du får SMS fra oss igjen. Svar STOP for å stoppe dem.',
  },
  da: {
    yes: 'Tak! Du har bekræftet samtalen.',
    no: 'Tak for besked. Du har meldt afbud til samtalen.',
    new_time: 'Tak! Vi kontakter dig om et nyt tidspunkt.',
    withdraw: 'Din ansøgning er trukket tilbage. Tak for din interesse.',
    unknown_number: 'Beklager, vi kunne ikke finde en samtale for dette nummer.',
    already_final: 'Beklager, dit svar kan ikke længere ændres. Kontakt rekrutteringsansvarlig.',
    free_text_forwarded: 'Tak, din besked er sendt videre. Svar JA, NEJ, NY eller TRÆK for at svare.',
    opt_out: 'Du modtager ikke flere sms fra os. Svar START for at få sms igen.',
    opt_in: 'Du modtager sms fra os igen. Svar STOP for at stoppe dem.',
  },
  fi: {
    yes: 'Kiitos! Olet vahvistanut haastattelun.',
    no: 'Kiitos tiedosta. Olet perunut osallistumisesi haastatteluun.',
    new_time: 'Kiitos! Otamme sinuun yhteyttä uudesta ajasta.',
    withdraw: 'Hakemuksesi on peruttu. Kiitos kiinnostuksestasi.',
    unknown_number: 'Valitettavasti emme löytäneet haastattelua tälle numerolle.',
    already_final: 'Valitettavasti vastaustasi ei voi enää muuttaa. Ota yhteyttä rekrytoijaan.',
    free_text_forwarded: 'Kiitos, viestisi on välitetty eteenpäin. Vastaa KYLLÄ, EI, UUSI tai PERU.',
    opt_out: 'Et saa enää tekstiviestejä meiltä. Vastaa START saadaksesi niitä taas.',
    opt_in: 'Saat taas tekstiviestejä meiltä. Vastaa STOP lopettaaksesi.',
  },
};

/** A short, polite TwiML reply (one GSM-7 segment) for the outcome of an inbound SMS. */
export function smsAnswerReceipt(language: Language, kind: SmsReceiptKind): string {
  return RECEIPTS[lang(language)][kind];
}
