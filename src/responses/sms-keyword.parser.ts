/**
 * Parses an inbound SMS body into a candidate answer, an opt-out/opt-in, a help request or free
 * text (SPEC §2.4, §3). Pure; no I/O.
 *
 * Keyword messages: the whole message (ignoring case, diacritics, whitespace and punctuation)
 * must be exactly one keyword (or keyword phrase such as "NY TID"), optionally with one
 * reference code before or after it: "YES K7QX", "k7qx ja", "Ja, K7QX", "  yes!", "ÅTERKALLA",
 * "aterkalla". Anything more ("yes but I'll be 10 minutes late") is free text, so that the
 * recruiter sees it rather than the machine guessing.
 *
 * Diacritics are folded (Å→A, Ä→A, Ö→O, É→E …) before matching, so "ÅTERKALLA"/"aterkalla",
 * "KYLLÄ"/"kylla", "HJÄLP"/"hjalp" are the same keyword; Danish Æ is spelled out (TRÆK = TRAEK).
 *
 * Free text: the result is the whole trimmed original body. A ref is taken from free text only
 * when the message has 2+ whitespace-separated tokens and its first or last token (ignoring
 * surrounding punctuation) is a valid ref that is upper-case in the original or contains a
 * digit — so ordinary words such as "bra" or "Tack" are not mistaken for refs (4-letter
 * words whose letters all lie in REF_ALPHABET exist, e.g. "TACK"). A ref that matches no
 * invitation must therefore be treated by the caller as absent (fall back to the earliest
 * upcoming open invitation). `newRef` always includes at least one digit, which makes real
 * refs unambiguous.
 *
 * Twilio handles STOP/START itself and sends `OptOutType`; the keywords are still parsed here.
 */
import type { Answer } from '../common/domain';

export type SmsReply =
  | { kind: 'answer'; answer: Answer; ref: string | null }
  | { kind: 'opt_out' }
  | { kind: 'opt_in' }
  | { kind: 'help'; ref: string | null }
  | { kind: 'free_text'; text: string; ref: string | null };

import { isRef } from '../common/sms-ref';
export { isRef, newRef, REF_ALPHABET, REF_LENGTH } from '../common/sms-ref';

type KeywordMeaning = { kind: 'answer'; answer: Answer } | { kind: 'opt_out' } | { kind: 'opt_in' } | { kind: 'help' };

/**
 * Recognised keywords, in folded form (upper case, diacritics removed, words joined by one space).
 * sv/nb/da share JA, NEJ/NEI, NY; fi: KYLLÄ, EI, UUSI, PERU(UTA).
 */
export const SMS_KEYWORDS: Readonly<Record<string, KeywordMeaning>> = Object.freeze({
  // yes
  YES: { kind: 'answer', answer: 'yes' },
  JA: { kind: 'answer', answer: 'yes' },
  KYLLA: { kind: 'answer', answer: 'yes' },
  // no
  NO: { kind: 'answer', answer: 'no' },
  NEJ: { kind: 'answer', answer: 'no' },
  NEI: { kind: 'answer', answer: 'no' },
  EI: { kind: 'answer', answer: 'no' },
  // new time
  NEW: { kind: 'answer', answer: 'new_time' },
  'NEW TIME': { kind: 'answer', answer: 'new_time' },
  NY: { kind: 'answer', answer: 'new_time' },
  'NY TID': { kind: 'answer', answer: 'new_time' },
  UUSI: { kind: 'answer', answer: 'new_time' },
  'UUSI AIKA': { kind: 'answer', answer: 'new_time' },
  // withdraw
  WITHDRAW: { kind: 'answer', answer: 'withdraw' },
  ATERKALLA: { kind: 'answer', answer: 'withdraw' },
  TREKK: { kind: 'answer', answer: 'withdraw' },
  TRAEK: { kind: 'answer', answer: 'withdraw' },
  PERU: { kind: 'answer', answer: 'withdraw' },
  PERUUTA: { kind: 'answer', answer: 'withdraw' },
  // opt-out (Twilio's standard set plus Nordic STOPP)
  STOP: { kind: 'opt_out' },
  STOPP: { kind: 'opt_out' },
  STOPALL: { kind: 'opt_out' },
  UNSUBSCRIBE: { kind: 'opt_out' },
  CANCEL: { kind: 'opt_out' },
  END: { kind: 'opt_out' },
  QUIT: { kind: 'opt_out' },
  OPTOUT: { kind: 'opt_out' },
  REVOKE: { kind: 'opt_out' },
  // opt-in (YES is an answer here, not Twilio's opt-in)
  START: { kind: 'opt_in' },
  UNSTOP: { kind: 'opt_in' },
  // help
  HELP: { kind: 'help' },
  INFO: { kind: 'help' },
  HJALP: { kind: 'help' },
  HJELP: { kind: 'help' },
  APUA: { kind: 'help' },
});

/** Every single word that occurs in a keyword (phrase), folded. */
export const SMS_KEYWORD_WORDS: ReadonlySet<string> = new Set(Object.keys(SMS_KEYWORDS).flatMap((k) => k.split(' ')));

const WORD_RE = /[\p{L}\p{M}\p{N}]+/gu;

/** Upper-case, Æ→AE, Ø→O, strip diacritics. */
export function foldKeyword(word: string): string {
  return word
    .toUpperCase()
    .replace(/Æ/g, 'AE')
    .replace(/Ø/g, 'O')
    .normalize('NFD')
    .replace(/\p{M}+/gu, '');
}

function meaningOf(words: string[]): KeywordMeaning | null {
  if (words.length === 0) return null;
  const key = words.map(foldKeyword).join(' ');
  return Object.prototype.hasOwnProperty.call(SMS_KEYWORDS, key) ? SMS_KEYWORDS[key] : null;
}

function withRef(m: KeywordMeaning, ref: string | null): SmsReply {
  switch (m.kind) {
    case 'answer':
      return { kind: 'answer', answer: m.answer, ref };
    case 'help':
      return { kind: 'help', ref };
    default:
      return { kind: m.kind };
  }
}

function freeTextRef(trimmed: string): string | null {
  const tokens = trimmed.split(/\s+/).filter((t) => t.length > 0);
  if (tokens.length < 2) return null;
  for (const raw of [tokens[0], tokens[tokens.length - 1]]) {
    const t = raw.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
    if (isRef(t) && (t === t.toUpperCase() || /\d/.test(t))) return t.toUpperCase();
  }
  return null;
}

/** Never throws; any string (or a non-string, treated as empty) gives a reply. */
export function parseSmsReply(body: string): SmsReply {
  const text = typeof body === 'string' ? body : '';
  const words: string[] = Array.from(text.match(WORD_RE) ?? []);
  if (words.length > 0 && words.length <= 4) {
    const whole = meaningOf(words);
    if (whole) return withRef(whole, null);
    if (words.length >= 2) {
      const last = words[words.length - 1];
      if (isRef(last)) {
        const m = meaningOf(words.slice(0, -1));
        if (m) return withRef(m, last.toUpperCase());
      }
      const first = words[0];
      if (isRef(first)) {
        const m = meaningOf(words.slice(1));
        if (m) return withRef(m, first.toUpperCase());
      }
    }
  }
  const trimmed = text.trim();
  return { kind: 'free_text', text: trimmed, ref: freeTextRef(trimmed) };
}
