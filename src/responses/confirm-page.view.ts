/**
 * The candidate's confirm page (SPEC §2.4, §3, §3a): one screen on a phone with what, when,
 * where and with whom, four large answer buttons, and after an answer a plain confirmation
 * saying what was recorded and what the recruiter will see.
 *
 * Pure HTML rendering; no I/O, no framework imports. Every page is a full document with inline
 * CSS only: no JavaScript, no external assets, and the only URLs are relative (/r/<token>).
 *
 * - GET never changes anything; every answer is a POST of `answer=<yes|no|new_time|withdraw>`
 *   plus the hidden `csrf` field (the caller supplies the value and checks it).
 * - Withdrawal needs a second step: the first POST carries no `confirm`, the caller then renders
 *   `renderWithdrawConfirmPage`, whose form posts `answer=withdraw&confirm=yes`.
 * - States other than `open` are read-only (no forms), with an explanation in the language.
 */
import type { Answer, InvitationStatus, Language } from '../common/domain';
import {
  formatDate,
  formatDuration,
  formatTime,
  interviewTypeLabel,
  joinNames,
  locationFallback,
  type InterviewFacts,
} from '../notifications/email/interview-values';

export const ANSWER_FIELD = 'answer';
export const CONFIRM_FIELD = 'confirm';
/** Name of the hidden field that echoes `model.csrf` back. */
export const CSRF_FIELD = 'csrf';

export type ConfirmPageState = 'open' | 'closed_started' | 'withdrawn' | 'cancelled';

/** The interview as the candidate sees it (InterviewFacts without the sender), and where the answer stands. */
export interface ConfirmPageModel extends Omit<InterviewFacts, 'senderName'> {
  language: Language;
  /** Used in the form action: /r/<token> */
  token: string;
  candidateFirstName: string;
  /** The current answer (pending = none yet). */
  status: InvitationStatus;
  /**
   * open = can answer; closed_started = the interview has started (read-only);
   * withdrawn = application withdrawn (final); cancelled = interview cancelled.
   */
  state: ConfirmPageState;
  /** Hidden field value to echo back. */
  csrf: string;
}

export interface ConfirmPageNotice {
  kind: 'recorded' | 'unchanged' | 'refused';
  answer?: Answer;
  message?: string;
}

const ANSWERS: readonly Answer[] = ['yes', 'no', 'new_time', 'withdraw'];

const STATUS_ANSWER: Partial<Record<InvitationStatus, Answer>> = {
  accepted: 'yes',
  declined: 'no',
  new_time_requested: 'new_time',
  withdrawn: 'withdraw',
};

interface Texts {
  titleInvite: string;
  titleWithdraw: string;
  /** Greeting with the first name; `{name}` is replaced (already escaped). */
  greeting: string;
  greetingNoName: string;
  intro: string; // `{project}`
  what: string;
  date: string;
  time: string;
  duration: string;
  where: string;
  with: string;
  yourAnswer: string;
  question: string;
  changeHint: string;
  labels: Record<Answer, string>;
  recorded: Record<Answer, string>;
  unchanged: Record<Answer, string>;
  closedStarted: string;
  withdrawn: string;
  cancelled: string;
  refusedGeneric: string;
  withdrawHeading: string;
  withdrawBody: string; // `{project}`
  withdrawConfirm: string;
  withdrawBack: string;
  notFoundTitle: string;
  notFoundBody: string;
}

const SV: Texts = {
  titleInvite: 'Din intervju',
  titleWithdraw: 'Återkalla ansökan',
  greeting: 'Hej {name}!',
  greetingNoName: 'Hej!',
  intro: 'Här är uppgifterna om din intervju för {project}.',
  what: 'Vad',
  date: 'Datum',
  time: 'Tid',
  duration: 'Längd',
  where: 'Plats',
  with: 'Med',
  yourAnswer: 'Ditt svar',
  question: 'Kan du komma?',
  changeHint: 'Du kan ändra ditt svar fram till att intervjun börjar.',
  labels: {
    yes: 'Ja, jag kommer',
    no: 'Nej, jag kan inte',
    new_time: 'Kontakta mig för en ny tid',
    withdraw: 'Jag vill återkalla min ansökan',
  },
  recorded: {
    yes: 'Tack! Vi har registrerat ditt svar: du kommer. Rekryteraren ser ditt svar direkt.',
    no: 'Tack! Vi har registrerat ditt svar: du kan inte komma. Rekryteraren ser ditt svar direkt.',
    new_time: 'Tack! Vi har registrerat ditt svar: du vill ha en ny tid. Rekryteraren kontaktar dig för att hitta en ny tid.',
    withdraw: 'Din ansökan är återkallad. Rekryteraren ser det direkt. Tack för ditt intresse.',
  },
  unchanged: {
    yes: 'Ditt svar var redan registrerat: du kommer. Rekryteraren ser ditt svar.',
    no: 'Ditt svar var redan registrerat: du kan inte komma. Rekryteraren ser ditt svar.',
    new_time: 'Ditt svar var redan registrerat: du vill ha en ny tid. Rekryteraren kontaktar dig för att hitta en ny tid.',
    withdraw: 'Din ansökan är redan återkallad. Rekryteraren ser det.',
  },
  closedStarted: 'Intervjun har redan börjat, så svaret kan inte längre ändras. Kontakta rekryteraren om något har hänt.',
  withdrawn: 'Din ansökan är återkallad, så du kan inte längre svara på den här kallelsen.',
  cancelled: 'Intervjun är inställd. Du behöver inte svara. Rekryteraren hör av sig om något nytt.',
  refusedGeneric: 'Ditt svar kunde inte registreras. Ladda om sidan och försök igen.',
  withdrawHeading: 'Vill du verkligen återkalla din ansökan?',
  withdrawBody: 'Om du återkallar din ansökan till {project} ställs intervjun in för din del och rekryteraren får veta det direkt. Det går inte att ångra.',
  withdrawConfirm: 'Ja, återkalla min ansökan',
  withdrawBack: 'Nej, gå tillbaka',
  notFoundTitle: 'Sidan hittades inte',
  notFoundBody: 'Länken är felaktig eller gäller inte längre. Kontakta den som skickade den till dig.',
};

const EN: Texts = {
  titleInvite: 'Your interview',
  titleWithdraw: 'Withdraw application',
  greeting: 'Hi {name}!',
  greetingNoName: 'Hi!',
  intro: 'Here are the details of your interview for {project}.',
  what: 'What',
  date: 'Date',
  time: 'Time',
  duration: 'Duration',
  where: 'Where',
  with: 'With',
  yourAnswer: 'Your answer',
  question: 'Can you come?',
  changeHint: 'You can change your answer until the interview starts.',
  labels: {
    yes: "Yes, I'll come",
    no: "No, I can't come",
    new_time: 'Contact me for a new time',
    withdraw: 'I want to withdraw my application',
  },
  recorded: {
    yes: 'Thank you! We have recorded your answer: you will come. The recruiter sees your answer right away.',
    no: 'Thank you! We have recorded your answer: you cannot come. The recruiter sees your answer right away.',
    new_time: 'Thank you! We have recorded your answer: you would like a new time. The recruiter will contact you to find a new time.',
    withdraw: 'Your application has been withdrawn. The recruiter sees this right away. Thank you for your interest.',
  },
  unchanged: {
    yes: 'Your answer was already recorded: you will come. The recruiter sees your answer.',
    no: 'Your answer was already recorded: you cannot come. The recruiter sees your answer.',
    new_time: 'Your answer was already recorded: you would like a new time. The recruiter will contact you to find a new time.',
    withdraw: 'Your application has already been withdrawn. The recruiter sees this.',
  },
  closedStarted: 'The interview has already started, so the answer can no longer be changed. Please contact the recruiter if something has come up.',
  withdrawn: 'Your application has been withdrawn, so you can no longer answer this invitation.',
  cancelled: 'The interview has been cancelled. You do not need to answer. The recruiter will be in touch if anything changes.',
  refusedGeneric: 'Your answer could not be recorded. Please reload the page and try again.',
  withdrawHeading: 'Do you really want to withdraw your application?',
  withdrawBody: 'If you withdraw your application for {project}, the interview is cancelled for you and the recruiter is told right away. This cannot be undone.',
  withdrawConfirm: 'Yes, withdraw my application',
  withdrawBack: 'No, go back',
  notFoundTitle: 'Page not found',
  notFoundBody: 'The link is wrong or no longer valid. Please contact the person who sent it to you.',
};

const NB: Texts = {
  titleInvite: 'Intervjuen din',
  titleWithdraw: 'Trekk søknaden',
  greeting: 'Hei {name}!',
  greetingNoName: 'Hei!',
  intro: 'Her er detaljene om intervjuet ditt for {project}.',
  what: 'Hva',
  date: 'Dato',
  time: 'Tid',
  duration: 'Varighet',
  where: 'Sted',
  with: 'Med',
  yourAnswer: 'Ditt svar',
  question: 'Kan du komme?',
  changeHint: 'Du kan endre svaret ditt helt til intervjuet starter.',
  labels: {
    yes: 'Ja, jeg kommer',
    no: 'Nei, jeg kan ikke',
    new_time: 'Kontakt meg for en ny tid',
    withdraw: 'Jeg vil trekke søknaden min',
  },
  recorded: {
    yes: 'Takk! Vi har registrert svaret ditt: du kommer. Rekruttereren ser svaret ditt med en gang.',
    no: 'Takk! Vi har registrert svaret ditt: du kan ikke komme. Rekruttereren ser svaret ditt med en gang.',
    new_time: 'Takk! Vi har registrert svaret ditt: du ønsker en ny tid. Rekruttereren kontakter deg for å finne en ny tid.',
    withdraw: 'Søknaden din er trukket. Rekruttereren ser det med en gang. Takk for interessen.',
  },
  unchanged: {
    yes: 'Svaret ditt var allerede registrert: du kommer. Rekruttereren ser svaret ditt.',
    no: 'Svaret ditt var allerede registrert: du kan ikke komme. Rekruttereren ser svaret ditt.',
    new_time: 'Svaret ditt var allerede registrert: du ønsker en ny tid. Rekruttereren kontakter deg for å finne en ny tid.',
    withdraw: 'Søknaden din er allerede trukket. Rekruttereren ser det.',
  },
  closedStarted: 'Intervjuet har allerede startet, så svaret kan ikke lenger endres. Kontakt rekruttereren hvis noe har skjedd.',
  withdrawn: 'Søknaden din er trukket, så du kan ikke lenger svare på denne innkallingen.',
  cancelled: 'Intervjuet er avlyst. Du trenger ikke å svare. Rekruttereren tar kontakt hvis noe endrer seg.',
  refusedGeneric: 'Svaret ditt kunne ikke registreres. Last inn siden på nytt og prøv igjen.',
  withdrawHeading: 'Vil du virkelig trekke søknaden din?',
  withdrawBody: 'Hvis du trekker søknaden din til {project}, avlyses intervjuet for deg og rekruttereren får beskjed med en gang. Dette kan ikke angres.',
  withdrawConfirm: 'Ja, trekk søknaden min',
  withdrawBack: 'Nei, gå tilbake',
  notFoundTitle: 'Siden ble ikke funnet',
  notFoundBody: 'Lenken er feil eller ikke lenger gyldig. Kontakt den som sendte den til deg.',
};

const DA: Texts = {
  titleInvite: 'Dit interview',
  titleWithdraw: 'Træk ansøgning tilbage',
  greeting: 'Hej {name}!',
  greetingNoName: 'Hej!',
  intro: 'Her er oplysningerne om dit interview til {project}.',
  what: 'Hvad',
  date: 'Dato',
  time: 'Tid',
  duration: 'Varighed',
  where: 'Sted',
  with: 'Med',
  yourAnswer: 'Dit svar',
  question: 'Kan du komme?',
  changeHint: 'Du kan ændre dit svar, indtil interviewet begynder.',
  labels: {
    yes: 'Ja, jeg kommer',
    no: 'Nej, jeg kan ikke',
    new_time: 'Kontakt mig om en ny tid',
    withdraw: 'Jeg vil trække min ansøgning tilbage',
  },
  recorded: {
    yes: 'Tak! Vi har registreret dit svar: du kommer. Rekruttereren ser dit svar med det samme.',
    no: 'Tak! Vi har registreret dit svar: du kan ikke komme. Rekruttereren ser dit svar med det samme.',
    new_time: 'Tak! Vi har registreret dit svar: du ønsker en ny tid. Rekruttereren kontakter dig for at finde en ny tid.',
    withdraw: 'Din ansøgning er trukket tilbage. Rekruttereren ser det med det samme. Tak for din interesse.',
  },
  unchanged: {
    yes: 'Dit svar var allerede registreret: du kommer. Rekruttereren ser dit svar.',
    no: 'Dit svar var allerede registreret: du kan ikke komme. Rekruttereren ser dit svar.',
    new_time: 'Dit svar var allerede registreret: du ønsker en ny tid. Rekruttereren kontakter dig for at finde en ny tid.',
    withdraw: 'Din ansøgning er allerede trukket tilbage. Rekruttereren ser det.',
  },
  closedStarted: 'Interviewet er allerede begyndt, så svaret kan ikke længere ændres. Kontakt rekruttereren, hvis der er sket noget.',
  withdrawn: 'Din ansøgning er trukket tilbage, så du kan ikke længere svare på denne indkaldelse.',
  cancelled: 'Interviewet er aflyst. Du behøver ikke at svare. Rekruttereren kontakter dig, hvis der sker noget nyt.',
  refusedGeneric: 'Dit svar kunne ikke registreres. Genindlæs siden, og prøv igen.',
  withdrawHeading: 'Vil du virkelig trække din ansøgning tilbage?',
  withdrawBody: 'Hvis du trækker din ansøgning til {project} tilbage, aflyses interviewet for dig, og rekruttereren får besked med det samme. Det kan ikke fortrydes.',
  withdrawConfirm: 'Ja, træk min ansøgning tilbage',
  withdrawBack: 'Nej, gå tilbage',
  notFoundTitle: 'Siden blev ikke fundet',
  notFoundBody: 'Linket er forkert eller ikke længere gyldigt. Kontakt den, der sendte det til dig.',
};

const FI: Texts = {
  titleInvite: 'Haastattelusi',
  titleWithdraw: 'Peru hakemus',
  greeting: 'Hei {name}!',
  greetingNoName: 'Hei!',
  intro: 'Tässä ovat haastattelusi tiedot: {project}.',
  what: 'Mitä',
  date: 'Päivä',
  time: 'Aika',
  duration: 'Kesto',
  where: 'Paikka',
  with: 'Haastattelijat',
  yourAnswer: 'Vastauksesi',
  question: 'Pääsetkö paikalle?',
  changeHint: 'Voit muuttaa vastaustasi haastattelun alkuun asti.',
  labels: {
    yes: 'Kyllä, tulen',
    no: 'En pääse',
    new_time: 'Ottakaa yhteyttä uudesta ajasta',
    withdraw: 'Haluan perua hakemukseni',
  },
  recorded: {
    yes: 'Kiitos! Vastauksesi on tallennettu: tulet paikalle. Rekrytoija näkee vastauksesi heti.',
    no: 'Kiitos! Vastauksesi on tallennettu: et pääse paikalle. Rekrytoija näkee vastauksesi heti.',
    new_time: 'Kiitos! Vastauksesi on tallennettu: toivot uutta aikaa. Rekrytoija ottaa sinuun yhteyttä uuden ajan sopimiseksi.',
    withdraw: 'Hakemuksesi on peruttu. Rekrytoija näkee tämän heti. Kiitos kiinnostuksestasi.',
  },
  unchanged: {
    yes: 'Vastauksesi oli jo tallennettu: tulet paikalle. Rekrytoija näkee vastauksesi.',
    no: 'Vastauksesi oli jo tallennettu: et pääse paikalle. Rekrytoija näkee vastauksesi.',
    new_time: 'Vastauksesi oli jo tallennettu: toivot uutta aikaa. Rekrytoija ottaa sinuun yhteyttä uuden ajan sopimiseksi.',
    withdraw: 'Hakemuksesi on jo peruttu. Rekrytoija näkee tämän.',
  },
  closedStarted: 'Haastattelu on jo alkanut, joten vastausta ei voi enää muuttaa. Ota yhteyttä rekrytoijaan, jos jotain on sattunut.',
  withdrawn: 'Hakemuksesi on peruttu, joten et voi enää vastata tähän kutsuun.',
  cancelled: 'Haastattelu on peruttu. Sinun ei tarvitse vastata. Rekrytoija ottaa yhteyttä, jos tilanne muuttuu.',
  refusedGeneric: 'Vastaustasi ei voitu tallentaa. Lataa sivu uudelleen ja yritä uudestaan.',
  withdrawHeading: 'Haluatko varmasti perua hakemuksesi?',
  withdrawBody: 'Jos perut hakemuksesi ({project}), haastattelu peruuntuu osaltasi ja rekrytoija saa tiedon heti. Tätä ei voi perua.',
  withdrawConfirm: 'Kyllä, peru hakemukseni',
  withdrawBack: 'Ei, palaa takaisin',
  notFoundTitle: 'Sivua ei löytynyt',
  notFoundBody: 'Linkki on virheellinen tai ei ole enää voimassa. Ota yhteyttä linkin lähettäjään.',
};

const TEXTS: Record<Language, Texts> = { sv: SV, en: EN, nb: NB, da: DA, fi: FI };

function texts(lang: Language): Texts {
  return TEXTS[lang] ?? EN;
}

/** The page's language: a known language, else English. */
function pageLang(lang: Language): Language {
  return TEXTS[lang] ? lang : 'en';
}

/** Escapes text for HTML text nodes and double-quoted attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Static texts of this module (our own, no markup): only & < > need care; keeps apostrophes readable. */
function t(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function fill(template: string, key: string, escapedValue: string): string {
  return t(template).split(`{${key}}`).join(escapedValue);
}

function answerPath(token: string): string {
  return `/r/${encodeURIComponent(token)}`;
}

const STYLE = `
*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;background:#fff;color:#1a1a1a;font-family:system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;font-size:1.0625rem;line-height:1.5}
main{max-width:34rem;margin:0 auto;padding:1rem 1rem 2rem}
h1{font-size:1.5rem;line-height:1.25;margin:.5rem 0 .25rem}
h2{font-size:1.2rem;line-height:1.3;margin:1.25rem 0 .5rem}
p{margin:.5rem 0}
.intro{margin-top:0}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.25rem .75rem;margin:.75rem 0;padding:.75rem;border:1px solid #767676;border-radius:.5rem}
dl.facts dt{font-weight:600;color:#1a1a1a}
dl.facts dd{margin:0;overflow-wrap:anywhere}
.current{font-weight:600}
.notice{margin:.5rem 0 1rem;padding:.75rem 1rem;border-radius:.5rem;border:2px solid #1e6b34;background:#eaf6ec;color:#0f3d1c}
.notice.refused{border-color:#a4161a;background:#fdecec;color:#5c0b0e}
.readonly{margin:1rem 0;padding:.75rem 1rem;border-left:4px solid #555;background:#f3f3f3;color:#1a1a1a}
form{margin:0}
.answers{display:flex;flex-direction:column;gap:.75rem;margin:.75rem 0}
.btn{display:block;width:100%;min-height:48px;padding:.75rem 1rem;border:2px solid #0b4f8a;border-radius:.5rem;background:#fff;color:#0b4f8a;font:inherit;font-weight:600;text-align:center;text-decoration:none;cursor:pointer}
.btn.primary{background:#0b4f8a;color:#fff}
.btn.danger{border-color:#a4161a;background:#fff;color:#a4161a}
.btn.danger.solid{background:#a4161a;color:#fff}
.btn[aria-pressed="true"]{border-width:4px;box-shadow:0 0 0 2px #fff inset}
.btn[aria-pressed="true"]::before{content:"\\2713\\00a0"}
.btn:hover{text-decoration:underline}
.btn:focus{outline:3px solid #1a1a1a;outline-offset:3px}
.btn:focus:not(:focus-visible){outline:none}
.btn:focus-visible,a:focus-visible{outline:3px solid #1a1a1a;outline-offset:3px}
a{color:#0b4f8a}
.hint{color:#3d3d3d;font-size:.95rem}
.bilingual section+section{margin-top:2rem;padding-top:1rem;border-top:1px solid #767676}
@media (min-width:40rem){main{padding-top:2rem}}
@media (prefers-reduced-motion:reduce){*,*::before,*::after{animation:none!important;transition:none!important;scroll-behavior:auto!important}}
`;

function documentHtml(lang: Language, title: string, body: string): string {
  return (
    '<!DOCTYPE html>\n' +
    `<html lang="${lang}">\n` +
    '<head>\n' +
    '<meta charset="utf-8">\n' +
    '<meta name="viewport" content="width=device-width, initial-scale=1">\n' +
    '<meta name="robots" content="noindex">\n' +
    '<meta name="referrer" content="no-referrer">\n' +
    '<meta name="color-scheme" content="light">\n' +
    `<title>${title}</title>\n` +
    `<style>${STYLE}</style>\n` +
    '</head>\n' +
    '<body>\n' +
    body +
    '</body>\n' +
    '</html>\n'
  );
}

function currentAnswer(model: ConfirmPageModel): Answer | null {
  return STATUS_ANSWER[model.status] ?? null;
}

function stateText(state: ConfirmPageState, tx: Texts): string | null {
  switch (state) {
    case 'closed_started':
      return tx.closedStarted;
    case 'withdrawn':
      return tx.withdrawn;
    case 'cancelled':
      return tx.cancelled;
    default:
      return null;
  }
}

function headerHtml(model: ConfirmPageModel, tx: Texts): string {
  const name = model.candidateFirstName?.trim() ?? '';
  const greeting = name ? fill(tx.greeting, 'name', escapeHtml(name)) : t(tx.greetingNoName);
  return `<h1>${greeting}</h1>\n<p class="intro">${fill(tx.intro, 'project', `<strong>${escapeHtml(model.projectTitle)}</strong>`)}</p>\n`;
}

function factsHtml(model: ConfirmPageModel, lang: Language, tx: Texts): string {
  const location = model.location?.trim();
  const names = (model.recruiterNames ?? []).map((n) => n.trim()).filter((n) => n !== '');
  const rows: Array<[string, string]> = [
    [tx.what, escapeHtml(`${interviewTypeLabel(model.type, lang)} · ${model.projectTitle}`)],
    [tx.date, escapeHtml(formatDate(model.startsAt, model.timezone, lang))],
    [tx.time, escapeHtml(formatTime(model.startsAt, model.timezone, lang, model.durationMinutes))],
  ];
  if (model.durationMinutes > 0) rows.push([tx.duration, escapeHtml(formatDuration(model.durationMinutes, lang))]);
  rows.push([tx.where, escapeHtml(location ? location : locationFallback(lang))]);
  if (names.length > 0) rows.push([tx.with, escapeHtml(joinNames(names, lang))]);
  return `<dl class="facts">\n${rows.map(([k, v]) => `<dt>${t(k)}</dt><dd>${v}</dd>`).join('\n')}\n</dl>\n`;
}

function hiddenCsrf(model: ConfirmPageModel): string {
  return `<input type="hidden" name="${CSRF_FIELD}" value="${escapeHtml(model.csrf)}">`;
}

function answerFormHtml(model: ConfirmPageModel, tx: Texts): string {
  const current = currentAnswer(model);
  const buttons = ANSWERS.map((a) => {
    const cls = a === 'yes' ? 'btn primary' : a === 'withdraw' ? 'btn danger' : 'btn';
    const pressed = a === current ? ' aria-pressed="true"' : '';
    return `<button type="submit" class="${cls}" name="${ANSWER_FIELD}" value="${a}"${pressed}>${t(tx.labels[a])}</button>`;
  }).join('\n');
  return (
    `<h2 id="answer-heading">${t(tx.question)}</h2>\n` +
    `<form method="post" action="${escapeHtml(answerPath(model.token))}" aria-labelledby="answer-heading">\n` +
    `${hiddenCsrf(model)}\n` +
    `<div class="answers">\n${buttons}\n</div>\n` +
    '</form>\n' +
    `<p class="hint">${t(tx.changeHint)}</p>\n`
  );
}

function noticeHtml(model: ConfirmPageModel, tx: Texts, notice: ConfirmPageNotice): string {
  if (notice.kind === 'refused') {
    const msg = notice.message?.trim()
      ? escapeHtml(notice.message.trim())
      : t(stateText(model.state, tx) ?? tx.refusedGeneric);
    return `<div class="notice refused" role="alert"><p>${msg}</p></div>\n`;
  }
  const answer = notice.answer ?? currentAnswer(model);
  let msg: string;
  if (notice.message?.trim()) msg = escapeHtml(notice.message.trim());
  else if (answer) msg = t((notice.kind === 'unchanged' ? tx.unchanged : tx.recorded)[answer]);
  else msg = t(tx.refusedGeneric);
  return `<div class="notice" role="status"><p>${msg}</p></div>\n`;
}

/**
 * The confirm page. `notice` (after a POST) is shown at the top: 'recorded'/'unchanged' as a
 * plain confirmation (role="status") of what was recorded and what the recruiter sees, 'refused'
 * as an alert whose text comes from `message` or, without one, from `model.state`.
 */
export function renderConfirmPage(model: ConfirmPageModel, notice?: ConfirmPageNotice): string {
  const lang = pageLang(model.language);
  const tx = texts(lang);
  const current = currentAnswer(model);
  let body = '<main>\n';
  if (notice) body += noticeHtml(model, tx, notice);
  body += headerHtml(model, tx);
  body += factsHtml(model, lang, tx);
  if (current && model.state !== 'withdrawn' && model.state !== 'cancelled') {
    body += `<p class="current">${t(tx.yourAnswer)}: ${t(tx.labels[current])}</p>\n`;
  }
  if (model.state === 'open') {
    body += answerFormHtml(model, tx);
  } else {
    const explanation = stateText(model.state, tx);
    // Not repeated when the notice at the top already says it.
    const noticeSaysIt =
      (notice?.kind === 'refused' && !notice.message?.trim()) ||
      (notice && notice.kind !== 'refused' && (notice.answer ?? current) === 'withdraw' && model.state === 'withdrawn');
    if (explanation && !noticeSaysIt) body += `<p class="readonly">${t(explanation)}</p>\n`;
  }
  body += '</main>\n';
  return documentHtml(lang, t(tx.titleInvite), body);
}

/**
 * The second step of a withdrawal: a form posting answer=withdraw & confirm=yes (with the csrf
 * field) and a "No, go back" link to GET /r/<token>. When the invitation can no longer be
 * answered, the read-only confirm page with a 'refused' notice is returned instead.
 */
export function renderWithdrawConfirmPage(model: ConfirmPageModel): string {
  if (model.state !== 'open') return renderConfirmPage(model, { kind: 'refused' });
  const lang = pageLang(model.language);
  const tx = texts(lang);
  const path = escapeHtml(answerPath(model.token));
  let body = '<main>\n';
  body += `<h1>${t(tx.withdrawHeading)}</h1>\n`;
  body += `<p>${fill(tx.withdrawBody, 'project', `<strong>${escapeHtml(model.projectTitle)}</strong>`)}</p>\n`;
  body += factsHtml(model, lang, tx);
  body +=
    `<form method="post" action="${path}">\n` +
    `${hiddenCsrf(model)}\n` +
    `<input type="hidden" name="${ANSWER_FIELD}" value="withdraw">\n` +
    '<div class="answers">\n' +
    `<button type="submit" class="btn danger solid" name="${CONFIRM_FIELD}" value="yes">${t(tx.withdrawConfirm)}</button>\n` +
    `<a class="btn" href="${path}">${t(tx.withdrawBack)}</a>\n` +
    '</div>\n' +
    '</form>\n';
  body += '</main>\n';
  return documentHtml(lang, t(tx.titleWithdraw), body);
}

/**
 * 404 page for an unknown (or no longer valid) token. It reveals nothing: the same text whatever
 * the token, no token, no interview facts. Bilingual Swedish/English unless a language is given.
 */
export function renderNotFoundPage(language?: Language): string {
  if (language && TEXTS[language]) {
    const tx = texts(language);
    const body = `<main>\n<h1>${t(tx.notFoundTitle)}</h1>\n<p>${t(tx.notFoundBody)}</p>\n</main>\n`;
    return documentHtml(language, t(tx.notFoundTitle), body);
  }
  const body =
    '<main class="bilingual">\n' +
    `<section lang="sv">\n<h1>${t(SV.notFoundTitle)}</h1>\n<p>${t(SV.notFoundBody)}</p>\n</section>\n` +
    `<section lang="en">\n<h2>${t(EN.notFoundTitle)}</h2>\n<p>${t(EN.notFoundBody)}</p>\n</section>\n` +
    '</main>\n';
  return documentHtml('sv', `${t(SV.notFoundTitle)} / ${t(EN.notFoundTitle)}`, body);
}
