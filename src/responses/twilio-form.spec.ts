import { inboundSmsFromForm } from './twilio-form';

const SID = 'SM' + 'a'.repeat(32);

describe('inboundSmsFromForm', () => {
  it('reads the fields Twilio sends', () => {
    expect(inboundSmsFromForm({ MessageSid: SID, From: '+46701234567', To: '+46700000000', Body: 'JA', OptOutType: 'START', NumMedia: '0' })).toEqual({
      sms: { messageSid: SID, from: '+46701234567', body: 'JA', optOutType: 'START' },
    });
  });

  it('takes the older SmsSid when MessageSid is absent', () => {
    expect(inboundSmsFromForm({ SmsSid: SID, From: '+46701234567', Body: 'x' })).toEqual({ sms: { messageSid: SID, from: '+46701234567', body: 'x', optOutType: undefined } });
  });

  it('reads a missing Body as an empty message', () => {
    expect(inboundSmsFromForm({ MessageSid: SID, From: '+46701234567' })).toEqual({ sms: { messageSid: SID, from: '+46701234567', body: '', optOutType: undefined } });
  });

  it.each([
    ['no MessageSid', { From: '+46701234567', Body: 'JA' }, ['MessageSid']],
    ['an empty MessageSid', { MessageSid: '', From: '+46701234567', Body: 'JA' }, ['MessageSid']],
    ['a blank MessageSid', { MessageSid: '   ', From: '+46701234567', Body: 'JA' }, ['MessageSid']],
    ['a MessageSid longer than the column', { MessageSid: 'SM' + 'a'.repeat(63), From: '+46701234567' }, ['MessageSid']],
    ['no From', { MessageSid: SID, Body: 'JA' }, ['From']],
    ['an empty From', { MessageSid: SID, From: ' ', Body: 'JA' }, ['From']],
    ['neither', { Body: 'JA' }, ['From', 'MessageSid']],
    ['nothing at all', undefined, ['From', 'MessageSid']],
    ['repeated keys', { MessageSid: [SID, SID], From: ['+46701234567', '+46701234568'], Body: ['a', 'b'], OptOutType: ['STOP', 'START'] }, ['Body', 'From', 'MessageSid', 'OptOutType']],
  ])('names the bad fields for %s', (_what, form, fields) => {
    const read = inboundSmsFromForm(form as Record<string, unknown> | undefined);
    expect('errors' in read && Object.keys(read.errors).sort()).toEqual(fields);
  });

  it('says why MessageSid and From are needed', () => {
    const read = inboundSmsFromForm({});
    expect(read).toEqual({ errors: { MessageSid: expect.stringMatching(/^is required/), From: expect.stringMatching(/^is required/) } });
  });

  it('reads only own fields', () => {
    const form = Object.create({ MessageSid: SID, From: '+46701234567' }) as Record<string, unknown>;
    expect('errors' in inboundSmsFromForm(form)).toBe(true);
  });
});
