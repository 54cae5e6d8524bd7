import fc from 'fast-check';
import { INVITATION_STATUSES, InvitationStatus } from '../common/domain';
import { smsTarget } from './sms-target.rules';

const inv = (ref: string, status: InvitationStatus) => ({ invitation: { ref, status } });

describe('smsTarget', () => {
  it('takes the invitation its reference names, a declined one included', () => {
    const list = [inv('AAAA', 'pending'), inv('BBBB', 'declined')];
    expect(smsTarget(list, 'BBBB')).toBe(list[1]);
  });

  it('without a reference that names one: the earliest not declined, else the earliest declined', () => {
    const list = [inv('AAAA', 'declined'), inv('BBBB', 'accepted'), inv('CCCC', 'pending')];
    expect(smsTarget(list, null)).toBe(list[1]);
    expect(smsTarget(list, 'ZZZZ')).toBe(list[1]);
    const declined = [inv('AAAA', 'declined'), inv('BBBB', 'declined')];
    expect(smsTarget(declined, null)).toBe(declined[0]);
    expect(smsTarget([], 'AAAA')).toBeUndefined();
  });

  it('always answers with one of the invitations given, and the named one whenever it is there', () => {
    const status = fc.constantFrom(...INVITATION_STATUSES.filter((s) => s !== 'withdrawn' && s !== 'cancelled'));
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.stringMatching(/^[A-Z0-9]{4}$/), status), { maxLength: 6 }), fc.option(fc.stringMatching(/^[A-Z0-9]{4}$/)), (rows, ref) => {
        const list = rows.map(([r, st]) => inv(r, st));
        const got = smsTarget(list, ref);
        if (!list.length) return got === undefined;
        if (!list.includes(got!)) return false;
        const named = list.find((o) => o.invitation.ref === ref);
        return named ? got === named : got === (list.find((o) => o.invitation.status !== 'declined') ?? list[0]);
      }),
    );
  });
});
