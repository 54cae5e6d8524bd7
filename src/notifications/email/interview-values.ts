/**
 * Values for the merge tags: dates and times in the candidate's language, in the interview's
 * time zone (SPEC §2.2). Pure; uses the runtime's Intl (full ICU, Node 20) with cached formatters
 * (same output as luxon's toLocaleString with the same options), luxon to validate zones.
 */
import { DateTime } from 'luxon';
import type { InterviewType, Language } from '../../common/domain';
import type { MergeTag } from './merge-tags';

export interface InterviewFacts {
  projectTitle: string;
  type: InterviewType;
  startsAt: Date;
  durationMinutes: number;
  /** IANA zone, e.g. Europe/Stockholm */
  timezone: string;
  location: string | null;
  recruiterNames: string[];
  senderName: string;
}

export interface CandidateFacts {
  firstName: string;
  lastName: string;
  language: Language;
}

export const LOCALES: Record<Language, string> = {
  sv: 'sv-SE',
  en: 'en-GB',
  nb: 'nb-NO',
  da: 'da-DK',
  fi: 'fi-FI',
};

const TYPE_LABELS: Record<Language, Record<InterviewType, string>> = {
  sv: {
    phone: 'Telefonintervju',
    in_person: 'Personlig intervju',
    video: 'Videointervju',
    group: 'Gruppintervju',
    info_meeting: 'Informationsmöte',
  },
  en: {
    phone: 'Phone interview',
    in_person: 'In-person interview',
    video: 'Video interview',
    group: 'Group interview',
    info_meeting: 'Information meeting',
  },
  nb: {
    phone: 'Telefonintervju',
    in_person: 'Personlig intervju',
    video: 'Videointervju',
    group: 'Gruppeintervju',
    info_meeting: 'Informasjonsmøte',
  },
  da: {
    phone: 'Telefoninterview',
    in_person: 'Personligt interview',
    video: 'Videointerview',
    group: 'Gruppeinterview',
    info_meeting: 'Informationsmøde',
  },
  fi: {
    phone: 'Puhelinhaastattelu',
    in_person: 'Henkilökohtainen haastattelu',
    video: 'Videohaastattelu',
    group: 'Ryhmähaastattelu',
    info_meeting: 'Infotilaisuus',
  },
};

const LOCATION_TBA: Record<Language, string> = {
  sv: 'meddelas senare',
  en: 'to be announced',
  nb: 'opplyses senere',
  da: 'oplyses senere',
  fi: 'ilmoitetaan myöhemmin',
};

export function interviewTypeLabel(type: InterviewType, lang: Language): string {
  return (TYPE_LABELS[lang] ?? TYPE_LABELS.en)[type];
}

export function locationFallback(lang: Language): string {
  return LOCATION_TBA[lang] ?? LOCATION_TBA.en;
}

/** Intl formatters are costly to build (~tens of µs); they are cached per locale/zone/options. */
const cache = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat | Intl.ListFormat>();

function cached<T extends Intl.DateTimeFormat | Intl.NumberFormat | Intl.ListFormat>(key: string, make: () => T): T {
  let f = cache.get(key) as T | undefined;
  if (!f) {
    f = make();
    cache.set(key, f);
  }
  return f;
}

function locale(lang: Language): string {
  return LOCALES[lang] ?? LOCALES.en;
}

function dateTimeFormat(lang: Language, zone: string, kind: 'date' | 'time' | 'zone'): Intl.DateTimeFormat {
  return cached(`dtf|${kind}|${lang}|${zone}`, () => {
    // Validate the zone with luxon first so that a bad zone gives a clear message.
    const probe = DateTime.now().setZone(zone);
    if (!probe.isValid) throw new Error(`Unknown time zone "${zone}"`);
    const opts: Intl.DateTimeFormatOptions =
      kind === 'date'
        ? { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }
        : kind === 'time'
          ? { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }
          : { timeZoneName: 'short' };
    return new Intl.DateTimeFormat(locale(lang), { ...opts, timeZone: zone });
  });
}

function checkDate(d: Date): void {
  if (Number.isNaN(d.getTime())) throw new Error('Cannot format an invalid date');
}

/** The same interview's date and time are written for every one of its candidates: each text once. */
const texts = new Map<string, string>();
function remembered(key: string, make: () => string): string {
  let t = texts.get(key);
  if (t === undefined) {
    if (texts.size >= 5000) texts.clear();
    t = make();
    texts.set(key, t);
  }
  return t;
}

/** "tisdag 8 december 2026", "Tuesday, 8 December 2026", "tirsdag 8. desember 2026", "tirsdag den 8. december 2026", "tiistaina 8. joulukuuta 2026". */
export function formatDate(d: Date, zone: string, lang: Language): string {
  checkDate(d);
  return remembered(`d|${d.getTime()}|${zone}|${lang}`, () => dateTimeFormat(lang, zone, 'date').format(d));
}

/** Short zone name as the candidate's locale writes it: "CET"/"CEST", "GMT−5", "EST", "UTC+2". */
export function formatZone(d: Date, zone: string, lang: Language): string {
  checkDate(d);
  const parts = dateTimeFormat(lang, zone, 'zone').formatToParts(d);
  return parts.find((p) => p.type === 'timeZoneName')?.value ?? zone;
}

/**
 * "10:00–10:45 (CET)" (sv/en/nb), "10.00–10.45 (CET)" (da), "10.00–10.45 (UTC+1)" (fi): 24-hour
 * clock as the locale writes it, start–end, and the zone of the start.
 * Without a duration (0 or less): "10:00 (CET)".
 */
export function formatTime(d: Date, zone: string, lang: Language, durationMinutes = 0): string {
  checkDate(d);
  return remembered(`t|${d.getTime()}|${zone}|${lang}|${durationMinutes}`, () => {
    const f = dateTimeFormat(lang, zone, 'time');
    let s = f.format(d);
    if (durationMinutes > 0) s += '–' + f.format(new Date(d.getTime() + durationMinutes * 60_000));
    return `${s} (${formatZone(d, zone, lang)})`;
  });
}

/** "45 minuter", "1 hour", "1 timme 30 minuter", "2 hours 15 minutes". */
export function formatDuration(minutes: number, lang: Language): string {
  return remembered(`u|${minutes}|${lang}`, () => {
    const unit = (n: number, u: 'hour' | 'minute') =>
      cached(`nf|${u}|${lang}`, () => new Intl.NumberFormat(locale(lang), { style: 'unit', unit: u, unitDisplay: 'long' })).format(n);
    const m = Math.round(minutes);
    if (m < 60) return unit(m, 'minute');
    const h = Math.floor(m / 60);
    const rest = m % 60;
    return rest === 0 ? unit(h, 'hour') : `${unit(h, 'hour')} ${unit(rest, 'minute')}`;
  });
}

/** "Rita", "Rita och Sam", "Rita, Sam and Kim". */
export function joinNames(names: string[], lang: Language): string {
  const clean = names.map((n) => n.trim()).filter((n) => n !== '');
  return remembered(`l|${lang}|${clean.join('\u0000')}`, () => cached(`lf|${lang}`, () => new Intl.ListFormat(locale(lang), { type: 'conjunction', style: 'long' })).format(clean));
}

export function mergeValues(iv: InterviewFacts, c: CandidateFacts, confirmUrl: string | null): Record<MergeTag, string> {
  const lang = c.language;
  const first = c.firstName.trim();
  const last = c.lastName.trim();
  const location = iv.location?.trim();
  return {
    candidate_first_name: first,
    candidate_last_name: last,
    candidate_name: [first, last].filter((s) => s !== '').join(' '),
    project_title: iv.projectTitle,
    interview_type: interviewTypeLabel(iv.type, lang),
    interview_date: formatDate(iv.startsAt, iv.timezone, lang),
    interview_time: formatTime(iv.startsAt, iv.timezone, lang, iv.durationMinutes),
    interview_duration: formatDuration(iv.durationMinutes, lang),
    interview_location: location ? location : locationFallback(lang),
    recruiters: joinNames(iv.recruiterNames, lang),
    sender_name: iv.senderName,
    confirmlink: confirmUrl ?? '',
  };
}
