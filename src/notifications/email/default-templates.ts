/**
 * Built-in email texts per language (plain text with merge tags, see merge-tags.ts), used to prefill
 * the Slack modal and as the fallback when a project has no templates of its own; plus the few
 * fixed strings of the email layout (confirm button label, header label, footer). Pure.
 *
 * The default invitation, reminder and reschedule contents contain `{confirmlink}` on a line of its
 * own, so by SPEC §2.1 the confirm-link option defaults to off with them (the link is already there).
 */
import type { Language } from '../../common/domain';

export const EMAIL_KINDS = ['invitation', 'reminder', 'cancellation', 'reschedule'] as const;
export type EmailKind = (typeof EMAIL_KINDS)[number];

export interface SubjectAndContent {
  subject: string;
  content: string;
}

export interface DefaultTemplates {
  invitation: SubjectAndContent;
  reminder: SubjectAndContent & { signature: string };
  cancellation: SubjectAndContent;
  reschedule: SubjectAndContent;
}

export interface LayoutStrings {
  /** Text of the confirm button (anchor text; the URL is only in the href). */
  confirmLabel: string;
  /** Small label above the project title in the header. */
  kindLabel: Record<EmailKind, string>;
  /** Footer line; a template (may use merge tags). */
  footer: string;
}

const sv: DefaultTemplates = {
  invitation: {
    subject: '{interview_type} – {project_title}',
    content: `Hej {candidate_first_name}!

Tack för din ansökan till {project_title}. Vi vill gärna träffa dig – här kommer din kallelse.

Vad: {interview_type}
Datum: {interview_date}
Tid: {interview_time}
Längd: {interview_duration}
Plats: {interview_location}
Du träffar: {recruiters}

Tala om för oss om tiden passar dig:
{confirmlink}

Välkommen!
{sender_name}`,
  },
  reminder: {
    subject: 'Påminnelse: {interview_type} {interview_date}',
    content: `Hej {candidate_first_name}!

Här kommer en påminnelse om vårt möte angående {project_title}.

Vad: {interview_type}
Datum: {interview_date}
Tid: {interview_time}
Plats: {interview_location}
Du träffar: {recruiters}

Om du inte kan komma, svara här:
{confirmlink}`,
    signature: `Vänliga hälsningar
{sender_name}`,
  },
  cancellation: {
    subject: 'Inställt: {interview_type} {interview_date}',
    content: `Hej {candidate_first_name}!

Tyvärr måste vi ställa in vårt möte angående {project_title} den {interview_date}, {interview_time}. Vi ber om ursäkt och hör av oss om hur vi går vidare.

Vänliga hälsningar
{sender_name}`,
  },
  reschedule: {
    subject: 'Ny tid: {interview_type} – {project_title}',
    content: `Hej {candidate_first_name}!

Vi har flyttat vårt möte angående {project_title}. Den nya tiden är:

Datum: {interview_date}
Tid: {interview_time}
Längd: {interview_duration}
Plats: {interview_location}
Du träffar: {recruiters}

Tala om för oss om den nya tiden passar dig:
{confirmlink}

Vänliga hälsningar
{sender_name}`,
  },
};

const en: DefaultTemplates = {
  invitation: {
    subject: '{interview_type} – {project_title}',
    content: `Hi {candidate_first_name},

Thank you for applying for {project_title}. We would like to meet you – here is your invitation.

What: {interview_type}
Date: {interview_date}
Time: {interview_time}
Duration: {interview_duration}
Where: {interview_location}
You will meet: {recruiters}

Please let us know whether the time suits you:
{confirmlink}

We look forward to meeting you!
{sender_name}`,
  },
  reminder: {
    subject: 'Reminder: {interview_type} on {interview_date}',
    content: `Hi {candidate_first_name},

This is a reminder of our meeting about {project_title}.

What: {interview_type}
Date: {interview_date}
Time: {interview_time}
Where: {interview_location}
You will meet: {recruiters}

If you can no longer come, please answer here:
{confirmlink}`,
    signature: `Kind regards,
{sender_name}`,
  },
  cancellation: {
    subject: 'Cancelled: {interview_type} on {interview_date}',
    content: `Hi {candidate_first_name},

Unfortunately we have to cancel our meeting about {project_title} on {interview_date}, {interview_time}. We apologise and will be in touch about the next steps.

Kind regards,
{sender_name}`,
  },
  reschedule: {
    subject: 'New time: {interview_type} – {project_title}',
    content: `Hi {candidate_first_name},

We have moved our meeting about {project_title}. The new time is:

Date: {interview_date}
Time: {interview_time}
Duration: {interview_duration}
Where: {interview_location}
You will meet: {recruiters}

Please let us know whether the new time suits you:
{confirmlink}

Kind regards,
{sender_name}`,
  },
};

const nb: DefaultTemplates = {
  invitation: {
    subject: '{interview_type} – {project_title}',
    content: `Hei {candidate_first_name}!

Takk for søknaden din til {project_title}. Vi vil gjerne møte deg – her er innkallingen din.

Hva: {interview_type}
Dato: {interview_date}
Tid: {interview_time}
Varighet: {interview_duration}
Sted: {interview_location}
Du møter: {recruiters}

Gi oss beskjed om tidspunktet passer for deg:
{confirmlink}

Velkommen!
{sender_name}`,
  },
  reminder: {
    subject: 'Påminnelse: {interview_type} {interview_date}',
    content: `Hei {candidate_first_name}!

Her er en påminnelse om møtet vårt om {project_title}.

Hva: {interview_type}
Dato: {interview_date}
Tid: {interview_time}
Sted: {interview_location}
Du møter: {recruiters}

Hvis du ikke kan komme, svar her:
{confirmlink}`,
    signature: `Vennlig hilsen
{sender_name}`,
  },
  cancellation: {
    subject: 'Avlyst: {interview_type} {interview_date}',
    content: `Hei {candidate_first_name}!

Dessverre må vi avlyse møtet vårt om {project_title} {interview_date}, {interview_time}. Vi beklager og tar kontakt om veien videre.

Vennlig hilsen
{sender_name}`,
  },
  reschedule: {
    subject: 'Ny tid: {interview_type} – {project_title}',
    content: `Hei {candidate_first_name}!

Vi har flyttet møtet vårt om {project_title}. Den nye tiden er:

Dato: {interview_date}
Tid: {interview_time}
Varighet: {interview_duration}
Sted: {interview_location}
Du møter: {recruiters}

Gi oss beskjed om den nye tiden passer for deg:
{confirmlink}

Vennlig hilsen
{sender_name}`,
  },
};

const da: DefaultTemplates = {
  invitation: {
    subject: '{interview_type} – {project_title}',
    content: `Hej {candidate_first_name}

Tak for din ansøgning til {project_title}. Vi vil gerne møde dig – her er din indkaldelse.

Hvad: {interview_type}
Dato: {interview_date}
Tid: {interview_time}
Varighed: {interview_duration}
Sted: {interview_location}
Du skal møde: {recruiters}

Giv os besked om, hvorvidt tidspunktet passer dig:
{confirmlink}

Vi glæder os til at møde dig!
{sender_name}`,
  },
  reminder: {
    subject: 'Påmindelse: {interview_type} {interview_date}',
    content: `Hej {candidate_first_name}

Her er en påmindelse om vores møde om {project_title}.

Hvad: {interview_type}
Dato: {interview_date}
Tid: {interview_time}
Sted: {interview_location}
Du skal møde: {recruiters}

Hvis du ikke kan komme, så svar her:
{confirmlink}`,
    signature: `Venlig hilsen
{sender_name}`,
  },
  cancellation: {
    subject: 'Aflyst: {interview_type} {interview_date}',
    content: `Hej {candidate_first_name}

Vi må desværre aflyse vores møde om {project_title} {interview_date}, {interview_time}. Vi beklager og vender tilbage om det videre forløb.

Venlig hilsen
{sender_name}`,
  },
  reschedule: {
    subject: 'Nyt tidspunkt: {interview_type} – {project_title}',
    content: `Hej {candidate_first_name}

Vi har flyttet vores møde om {project_title}. Det nye tidspunkt er:

Dato: {interview_date}
Tid: {interview_time}
Varighed: {interview_duration}
Sted: {interview_location}
Du skal møde: {recruiters}

Giv os besked om, hvorvidt det nye tidspunkt passer dig:
{confirmlink}

Venlig hilsen
{sender_name}`,
  },
};

const fi: DefaultTemplates = {
  invitation: {
    subject: '{interview_type} – {project_title}',
    content: `Hei {candidate_first_name}!

Kiitos hakemuksestasi ({project_title}). Haluaisimme tavata sinut – tässä on kutsusi.

Mikä: {interview_type}
Milloin: {interview_date}
Aika: {interview_time}
Kesto: {interview_duration}
Paikka: {interview_location}
Tapaat: {recruiters}

Kerro meille, sopiiko aika sinulle:
{confirmlink}

Tervetuloa!
{sender_name}`,
  },
  reminder: {
    subject: 'Muistutus: {interview_type} {interview_date}',
    content: `Hei {candidate_first_name}!

Tämä on muistutus tapaamisestamme ({project_title}).

Mikä: {interview_type}
Milloin: {interview_date}
Aika: {interview_time}
Paikka: {interview_location}
Tapaat: {recruiters}

Jos et pääse paikalle, vastaa tästä:
{confirmlink}`,
    signature: `Ystävällisin terveisin
{sender_name}`,
  },
  cancellation: {
    subject: 'Peruttu: {interview_type} {interview_date}',
    content: `Hei {candidate_first_name}!

Valitettavasti joudumme perumaan tapaamisemme ({project_title}) {interview_date}, {interview_time}. Pahoittelemme ja olemme yhteydessä jatkosta.

Ystävällisin terveisin
{sender_name}`,
  },
  reschedule: {
    subject: 'Uusi aika: {interview_type} – {project_title}',
    content: `Hei {candidate_first_name}!

Olemme siirtäneet tapaamisemme ({project_title}). Uusi aika on:

Milloin: {interview_date}
Aika: {interview_time}
Kesto: {interview_duration}
Paikka: {interview_location}
Tapaat: {recruiters}

Kerro meille, sopiiko uusi aika sinulle:
{confirmlink}

Ystävällisin terveisin
{sender_name}`,
  },
};

const TEMPLATES: Record<Language, DefaultTemplates> = { sv, en, nb, da, fi };

const LAYOUT: Record<Language, LayoutStrings> = {
  sv: {
    confirmLabel: 'Svara på kallelsen',
    kindLabel: { invitation: 'Kallelse', reminder: 'Påminnelse', cancellation: 'Inställt', reschedule: 'Ny tid' },
    footer: 'Du får det här mejlet eftersom du har sökt {project_title}. Avsändare: {sender_name}.',
  },
  en: {
    confirmLabel: 'Answer the invitation',
    kindLabel: { invitation: 'Invitation', reminder: 'Reminder', cancellation: 'Cancelled', reschedule: 'New time' },
    footer: 'You are receiving this email because you applied for {project_title}. Sent by {sender_name}.',
  },
  nb: {
    confirmLabel: 'Svar på innkallingen',
    kindLabel: { invitation: 'Innkalling', reminder: 'Påminnelse', cancellation: 'Avlyst', reschedule: 'Ny tid' },
    footer: 'Du får denne e-posten fordi du har søkt på {project_title}. Avsender: {sender_name}.',
  },
  da: {
    confirmLabel: 'Svar på indkaldelsen',
    kindLabel: { invitation: 'Indkaldelse', reminder: 'Påmindelse', cancellation: 'Aflyst', reschedule: 'Nyt tidspunkt' },
    footer: 'Du modtager denne e-mail, fordi du har søgt {project_title}. Afsender: {sender_name}.',
  },
  fi: {
    confirmLabel: 'Vastaa kutsuun',
    kindLabel: { invitation: 'Kutsu', reminder: 'Muistutus', cancellation: 'Peruttu', reschedule: 'Uusi aika' },
    footer: 'Saat tämän viestin, koska olet hakenut: {project_title}. Lähettäjä: {sender_name}.',
  },
};

/** Built-in templates for a language; unknown languages fall back to English. */
export function defaultTemplates(lang: Language): DefaultTemplates {
  return TEMPLATES[lang] ?? TEMPLATES.en;
}

/** Fixed strings of the email layout; unknown languages fall back to English. */
export function layoutStrings(lang: Language): LayoutStrings {
  return LAYOUT[lang] ?? LAYOUT.en;
}
