import { buildIcs, type IcsInput } from './ics.builder';

const base: IcsInput = {
  uid: 'invitation-42@kallelse.example.com',
  sequence: 2,
  method: 'REQUEST',
  startsAt: new Date('2026-12-08T09:00:00Z'),
  durationMinutes: 45,
  title: 'Telefonintervju – Backend Engineer Göteborg',
  description: 'Svara här: https://k.example/r/t1',
  location: 'Kungsgatan 1, Göteborg',
  organizer: { name: 'Rita Rekryterare', email: 'rita@example.com' },
  attendee: { name: 'Anna Lindqvist', email: 'anna@example.com' },
};

const unfold = (ics: string) => ics.replace(/\r\n[ \t]/g, '');

describe('buildIcs', () => {
  it('builds a REQUEST with a stable UID, the given SEQUENCE and UTC times', () => {
    const ics = unfold(buildIcs(base));
    expect(ics).toContain('METHOD:REQUEST\r\n');
    expect(ics).toContain('UID:invitation-42@kallelse.example.com\r\n');
    expect(ics).toContain('SEQUENCE:2\r\n');
    expect(ics).toContain('DTSTART:20261208T090000Z\r\n');
    expect(ics).toContain('DURATION:PT45M\r\n');
    expect(ics).toContain('STATUS:CONFIRMED');
    expect(ics).toContain('LOCATION:Kungsgatan 1\\, Göteborg');
    expect(ics).toMatch(/ATTENDEE;[^\r\n]*:mailto:anna@example.com/);
    expect(ics).toMatch(/ORGANIZER;CN="?Rita Rekryterare"?:mailto:rita@example.com/i);
    expect(unfold(buildIcs(base))).toContain('UID:invitation-42@kallelse.example.com'); // stable
  });

  it('builds a CANCEL with STATUS:CANCELLED', () => {
    const ics = unfold(buildIcs({ ...base, method: 'CANCEL', sequence: 3 }));
    expect(ics).toContain('METHOD:CANCEL\r\n');
    expect(ics).toContain('STATUS:CANCELLED\r\n');
    expect(ics).toContain('SEQUENCE:3\r\n');
    expect(ics).toContain('UID:invitation-42@kallelse.example.com\r\n');
    expect(ics).not.toContain('METHOD:REQUEST');
  });

  it('omits LOCATION when there is none', () => {
    expect(buildIcs({ ...base, location: null })).not.toContain('LOCATION:');
  });

  it('throws a clear error for bad input', () => {
    expect(() => buildIcs({ ...base, startsAt: new Date('nope') })).toThrow(/invitation-42.*invalid start/);
    expect(() => buildIcs({ ...base, sequence: -1 })).toThrow(/sequence/);
    expect(() => buildIcs({ ...base, organizer: { name: 'X', email: 'not an email' } })).toThrow(/Cannot build calendar file/);
  });
});
