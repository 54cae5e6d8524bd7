import {
  ANSWER_FIELD,
  CONFIRM_FIELD,
  ConfirmPageModel,
  renderConfirmPage,
  renderNotFoundPage,
  renderWithdrawConfirmPage,
} from './confirm-page.view';

const TOKEN = 'tok_AbC123-xyz';

function model(over: Partial<ConfirmPageModel> = {}): ConfirmPageModel {
  return {
    language: 'en',
    token: TOKEN,
    candidateFirstName: 'Anna',
    projectTitle: 'Backend Engineer Göteborg',
    type: 'phone',
    // 10:00 in Stockholm (CET, winter)
    startsAt: new Date('2026-12-08T09:00:00Z'),
    durationMinutes: 45,
    timezone: 'Europe/Stockholm',
    location: 'Kungsgatan 1, Göteborg',
    recruiterNames: ['Rita Rekryterare', 'Sam Svensson'],
    status: 'pending',
    state: 'open',
    csrf: 'csrf-value-42',
    ...over,
  };
}

function submitButtons(html: string): string[] {
  return html.match(/<button\b[^>]*type="submit"[^>]*>/g) ?? [];
}

function commonDocumentChecks(html: string): void {
  expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
  expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
  expect(html).toContain('<meta name="robots" content="noindex">');
  expect(html).toContain('<meta name="referrer" content="no-referrer">');
  expect(html).toMatch(/<title>[^<]+<\/title>/);
  expect(html).toContain('<main');
  expect(html).toMatch(/<h1>/);
  // No JavaScript, no external assets, no absolute URLs.
  expect(html).not.toMatch(/<script/i);
  expect(html).not.toMatch(/\son[a-z]+=/i);
  expect(html).not.toMatch(/https?:\/\//i);
  expect(html).not.toMatch(/<link\b/i);
  expect(html).not.toMatch(/<img\b/i);
  expect(html).not.toMatch(/@import|url\(/i);
  expect(html).toContain(':focus-visible');
  expect(html).toContain('prefers-reduced-motion');
  expect(html).toContain('min-height:48px');
  // All hrefs/actions are relative /r/ paths.
  for (const m of html.matchAll(/(?:href|action|src)="([^"]*)"/g)) expect(m[1]).toMatch(/^\/r\//);
}

describe('renderConfirmPage — English, open', () => {
  const html = renderConfirmPage(model());

  it('is a full document in English', () => {
    expect(html).toContain('<html lang="en">');
    commonDocumentChecks(html);
  });

  it('shows greeting, what, when, where and with whom', () => {
    expect(html).toContain('Hi Anna!');
    expect(html).toContain('Phone interview');
    expect(html).toContain('Backend Engineer Göteborg');
    expect(html).toContain('Tuesday, 8 December 2026');
    expect(html).toContain('10:00–10:45 (CET)');
    expect(html).toContain('45 minutes');
    expect(html).toContain('Kungsgatan 1, Göteborg');
    expect(html).toContain('Rita Rekryterare and Sam Svensson');
  });

  it('has one post form to /r/<token> with 4 submit buttons and the csrf field', () => {
    expect(html.match(/<form\b/g)).toHaveLength(1);
    expect(html).toContain(`<form method="post" action="/r/${TOKEN}"`);
    const buttons = submitButtons(html);
    expect(buttons).toHaveLength(4);
    const values = buttons.map((b) => {
      expect(b).toContain(`name="${ANSWER_FIELD}"`);
      return /value="([^"]+)"/.exec(b)?.[1];
    });
    expect(values).toEqual(['yes', 'no', 'new_time', 'withdraw']);
    expect(html).toContain('<input type="hidden" name="csrf" value="csrf-value-42">');
    expect(html).not.toContain(`name="${CONFIRM_FIELD}"`);
  });

  it('labels the buttons in English', () => {
    expect(html).toContain(">Yes, I'll come</button>");
    expect(html).toContain(">No, I can't come</button>");
    expect(html).toContain('>Contact me for a new time</button>');
    expect(html).toContain('>I want to withdraw my application</button>');
  });

  it('shows no current answer while pending', () => {
    expect(submitButtons(html).some((b) => b.includes('aria-pressed'))).toBe(false);
    expect(html).not.toContain('Your answer:');
  });
});

describe('renderConfirmPage — Swedish', () => {
  const html = renderConfirmPage(model({ language: 'sv', status: 'accepted' }));

  it('uses Swedish labels and dates', () => {
    expect(html).toContain('<html lang="sv">');
    commonDocumentChecks(html);
    expect(html).toContain('Hej Anna!');
    expect(html).toContain('Telefonintervju');
    expect(html).toContain('tisdag 8 december 2026');
    expect(html).toContain('10:00–10:45 (CET)');
    expect(html).toContain('45 minuter');
    expect(html).toContain('Rita Rekryterare och Sam Svensson');
    expect(html).toContain('>Ja, jag kommer</button>');
    expect(html).toContain('>Nej, jag kan inte</button>');
    expect(html).toContain('>Kontakta mig för en ny tid</button>');
    expect(html).toContain('>Jag vill återkalla min ansökan</button>');
  });

  it('shows and marks the current answer, which stays usable', () => {
    expect(html).toContain('Ditt svar: Ja, jag kommer');
    const pressed = submitButtons(html).filter((b) => b.includes('aria-pressed="true"'));
    expect(pressed).toHaveLength(1);
    expect(pressed[0]).toContain('value="yes"');
    expect(pressed[0]).not.toContain('disabled');
  });

  it('falls back to the location text when there is none', () => {
    expect(renderConfirmPage(model({ language: 'sv', location: null }))).toContain('meddelas senare');
    expect(renderConfirmPage(model({ location: '  ' }))).toContain('to be announced');
  });
});

describe('other languages', () => {
  it.each([
    ['nb', 'Ja, jeg kommer'],
    ['da', 'Ja, jeg kommer'],
    ['fi', 'Kyllä, tulen'],
  ] as const)('%s renders its own labels', (language, yes) => {
    const html = renderConfirmPage(model({ language }));
    expect(html).toContain(`<html lang="${language}">`);
    expect(html).toContain(`>${yes}</button>`);
    expect(submitButtons(html)).toHaveLength(4);
  });

  it('falls back to English for an unknown language', () => {
    const html = renderConfirmPage(model({ language: 'xx' as never }));
    expect(html).toContain('<html lang="en">');
    expect(html).toContain(">Yes, I'll come</button>");
  });
});

describe('escaping', () => {
  const evil = '<script>alert(1)</script>';
  const html = renderConfirmPage(
    model({
      candidateFirstName: evil,
      projectTitle: `${evil} & "co"`,
      location: `<img src=x onerror=alert(1)>`,
      recruiterNames: [evil],
      csrf: '"><script>x</script>',
      token: 'a"b<c',
    }),
    { kind: 'refused', message: evil },
  );

  it('escapes every value', () => {
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&amp; &quot;co&quot;');
    expect(html).toContain('value="&quot;&gt;&lt;script&gt;x&lt;/script&gt;"');
    expect(html).toContain('action="/r/a%22b%3Cc"');
  });

  it('escapes values on the withdraw confirmation page', () => {
    const w = renderWithdrawConfirmPage(model({ projectTitle: evil, candidateFirstName: evil }));
    expect(w).not.toMatch(/<script/i);
    expect(w).toContain('&lt;script&gt;');
  });
});

describe('notices after an answer', () => {
  it('confirms a recorded yes and says what the recruiter sees (en)', () => {
    const html = renderConfirmPage(model({ status: 'accepted' }), { kind: 'recorded', answer: 'yes' });
    expect(html).toMatch(
      /<div class="notice" role="status"><p>Thank you! We have recorded your answer: you will come\. The recruiter sees your answer right away\.<\/p><\/div>/,
    );
    // The notice comes before the details.
    expect(html.indexOf('role="status"')).toBeLessThan(html.indexOf('<h1>'));
    // Still open: the answer can be changed.
    expect(submitButtons(html)).toHaveLength(4);
    expect(html).toContain("Your answer: Yes, I'll come");
  });

  it('confirms a recorded yes in Swedish', () => {
    const html = renderConfirmPage(model({ language: 'sv', status: 'accepted' }), { kind: 'recorded', answer: 'yes' });
    expect(html).toContain('Tack! Vi har registrerat ditt svar: du kommer. Rekryteraren ser ditt svar direkt.');
  });

  it('new_time tells that the recruiter will get in touch', () => {
    const en = renderConfirmPage(model({ status: 'new_time_requested' }), { kind: 'recorded', answer: 'new_time' });
    expect(en).toContain('The recruiter will contact you to find a new time.');
    const sv = renderConfirmPage(model({ language: 'sv', status: 'new_time_requested' }), { kind: 'recorded', answer: 'new_time' });
    expect(sv).toContain('Rekryteraren kontaktar dig för att hitta en ny tid.');
  });

  it('a recorded withdrawal is read-only and says so once', () => {
    const html = renderConfirmPage(model({ status: 'withdrawn', state: 'withdrawn' }), { kind: 'recorded', answer: 'withdraw' });
    expect(html).toContain('Your application has been withdrawn.');
    expect(html).not.toContain('<form');
    expect(html).not.toContain('class="readonly"');
  });

  it('derives the answer from the status when the notice has none; unchanged says so', () => {
    const html = renderConfirmPage(model({ status: 'declined' }), { kind: 'unchanged' });
    expect(html).toContain('Your answer was already recorded: you cannot come.');
  });

  it('refused notices come from the state unless a message is given', () => {
    const started = renderConfirmPage(model({ state: 'closed_started', status: 'accepted' }), { kind: 'refused' });
    expect(started).toContain('role="alert"');
    expect(started).toContain('The interview has already started');
    expect(started).not.toContain('<form');
    const custom = renderConfirmPage(model({ language: 'sv' }), { kind: 'refused', message: 'Något gick fel.' });
    expect(custom).toContain('Något gick fel.');
    const svCancelled = renderConfirmPage(model({ language: 'sv', state: 'cancelled', status: 'cancelled' }), { kind: 'refused' });
    expect(svCancelled).toContain('Intervjun är inställd.');
  });
});

describe('read-only states', () => {
  it.each(['closed_started', 'withdrawn', 'cancelled'] as const)('%s has no forms and an explanation', (state) => {
    for (const language of ['en', 'sv'] as const) {
      const html = renderConfirmPage(model({ state, language, status: state === 'withdrawn' ? 'withdrawn' : 'accepted' }));
      commonDocumentChecks(html);
      expect(html).not.toContain('<form');
      expect(html).not.toContain('<button');
      expect(html).toContain('class="readonly"');
    }
  });

  it('explains in the language', () => {
    expect(renderConfirmPage(model({ state: 'closed_started', status: 'accepted' }))).toContain(
      'The interview has already started, so the answer can no longer be changed.',
    );
    expect(renderConfirmPage(model({ language: 'sv', state: 'closed_started', status: 'accepted' }))).toContain(
      'Intervjun har redan börjat',
    );
    expect(renderConfirmPage(model({ language: 'sv', state: 'withdrawn', status: 'withdrawn' }))).toContain('Din ansökan är återkallad');
    expect(renderConfirmPage(model({ state: 'cancelled', status: 'cancelled' }))).toContain('The interview has been cancelled.');
  });
});

describe('renderWithdrawConfirmPage', () => {
  const html = renderWithdrawConfirmPage(model());

  it('asks for a second confirmation posting answer=withdraw & confirm=yes', () => {
    commonDocumentChecks(html);
    expect(html.match(/<form\b/g)).toHaveLength(1);
    expect(html).toContain(`<form method="post" action="/r/${TOKEN}">`);
    expect(html).toContain(`<input type="hidden" name="${ANSWER_FIELD}" value="withdraw">`);
    expect(html).toContain('<input type="hidden" name="csrf" value="csrf-value-42">');
    const buttons = submitButtons(html);
    expect(buttons).toHaveLength(1);
    expect(buttons[0]).toContain(`name="${CONFIRM_FIELD}" value="yes"`);
    expect(html).toContain('>Yes, withdraw my application</button>');
  });

  it('offers a way back to GET /r/<token>', () => {
    expect(html).toContain(`<a class="btn" href="/r/${TOKEN}">No, go back</a>`);
  });

  it('is in Swedish for Swedish candidates', () => {
    const sv = renderWithdrawConfirmPage(model({ language: 'sv' }));
    expect(sv).toContain('<html lang="sv">');
    expect(sv).toContain('Vill du verkligen återkalla din ansökan?');
    expect(sv).toContain('>Ja, återkalla min ansökan</button>');
    expect(sv).toContain('>Nej, gå tillbaka</a>');
  });

  it('is read-only when the invitation can no longer be answered', () => {
    const closed = renderWithdrawConfirmPage(model({ state: 'closed_started' }));
    expect(closed).not.toContain('<form');
    expect(closed).toContain('The interview has already started');
  });
});

describe('renderNotFoundPage', () => {
  it('is bilingual by default and reveals nothing', () => {
    const html = renderNotFoundPage();
    commonDocumentChecks(html);
    expect(html).toContain('<html lang="sv">');
    expect(html).toContain('Sidan hittades inte');
    expect(html).toContain('Page not found');
    expect(html).toContain('<section lang="en">');
    expect(html).not.toContain(TOKEN);
    expect(html).not.toContain('Anna');
    expect(html).not.toContain('Backend');
    expect(html).not.toContain('<form');
    expect(html).not.toContain('/r/');
  });

  it('can be rendered in one language', () => {
    const en = renderNotFoundPage('en');
    expect(en).toContain('<html lang="en">');
    expect(en).toContain('Page not found');
    expect(en).not.toContain('Sidan hittades inte');
    expect(renderNotFoundPage('fi')).toContain('<html lang="fi">');
  });

  it('is identical whatever happened to the token', () => {
    expect(renderNotFoundPage()).toBe(renderNotFoundPage());
  });
});
