import { parseSlackBody } from './slack-http.receiver';

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

describe('parseSlackBody', () => {
  it('gives a slash command its form fields, decoded', () => {
    const r = parseSlackBody(form({ command: '/invite', user_id: 'U1', text: 'Göteborg & co 🎉' }), 'application/x-www-form-urlencoded');
    expect(r).toEqual({ ok: true, body: { command: '/invite', user_id: 'U1', text: 'Göteborg & co 🎉' } });
  });

  it('gives an interaction its payload, with or without a charset on the content type', () => {
    const payload = { type: 'view_submission', user: { id: 'U1' }, view: { id: 'V1' } };
    for (const type of ['application/x-www-form-urlencoded', 'Application/X-WWW-Form-Urlencoded; charset=utf-8'])
      expect(parseSlackBody(form({ payload: JSON.stringify(payload) }), type)).toEqual({ ok: true, body: payload });
  });

  it('refuses a payload that is not a JSON object, appears twice, or is an interaction without a user', () => {
    const refused = [
      'payload=%7Bnot-json',
      form({ payload: '[1,2]' }),
      form({ payload: 'null' }),
      'payload=%7B%7D&payload=%7B%7D',
      form({ payload: JSON.stringify({ type: 'block_actions', actions: [] }) }),
      form({ payload: JSON.stringify({ type: 'view_submission', user: { id: 42 } }) }),
    ];
    for (const raw of refused) expect(parseSlackBody(raw, 'application/x-www-form-urlencoded')).toMatchObject({ ok: false });
  });

  it('lets a payload through whose type needs no user (Bolt decides what to do with it)', () => {
    expect(parseSlackBody(form({ payload: '{}' }), 'application/x-www-form-urlencoded')).toEqual({ ok: true, body: {} });
  });

  it('parses Events API JSON and refuses malformed JSON and other content types', () => {
    expect(parseSlackBody('{"type":"url_verification","challenge":"c"}', 'application/json')).toEqual({ ok: true, body: { type: 'url_verification', challenge: 'c' } });
    expect(parseSlackBody('{"type": "event_callback", ', 'application/json')).toMatchObject({ ok: false });
    expect(parseSlackBody('"text"', 'application/json')).toMatchObject({ ok: false });
    expect(parseSlackBody('hello', 'text/plain')).toMatchObject({ ok: false, message: expect.stringContaining('text/plain') });
    expect(parseSlackBody('hello', undefined)).toMatchObject({ ok: false });
  });
});
