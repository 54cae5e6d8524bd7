import { INVITATION_STATUSES } from '../common/domain';
import { ReminderFacts, reminderSkipReason } from './reminder-skip.rules';

const base: ReminderFacts = { channel: 'sms', interviewStatus: 'scheduled', invitationStatus: 'pending', startsAt: new Date('2030-03-11T09:00:00Z'), mobile: '+46701234567', optedOut: false };
const at = new Date('2030-03-09T08:00:00Z');

describe('reminderSkipReason', () => {
  it('sends to pending and accepted invitations before the start', () => {
    expect(reminderSkipReason(base, at)).toBeNull();
    expect(reminderSkipReason({ ...base, invitationStatus: 'accepted' }, at)).toBeNull();
  });

  it.each([
    ['declined', 'the candidate declined'],
    ['withdrawn', 'the candidate withdrew the application'],
    ['cancelled', 'the interview was cancelled'],
    ['new_time_requested', 'the candidate is waiting for a new time'],
  ] as const)('skips a %s invitation', (status, reason) => {
    expect(reminderSkipReason({ ...base, invitationStatus: status }, at)).toBe(reason);
  });

  it('never sends after the interview has started, nor for a cancelled interview', () => {
    expect(reminderSkipReason(base, base.startsAt)).toBe('the interview had already started');
    expect(reminderSkipReason({ ...base, interviewStatus: 'cancelled' }, at)).toBe('the interview was cancelled');
  });

  it('sends no SMS without a mobile number or to an opted-out number; email is unaffected', () => {
    expect(reminderSkipReason({ ...base, mobile: null }, at)).toBe('the candidate has no mobile number');
    expect(reminderSkipReason({ ...base, optedOut: true }, at)).toBe('the number opted out of SMS (STOP)');
    expect(reminderSkipReason({ ...base, channel: 'email', mobile: null, optedOut: true }, at)).toBeNull();
  });

  it('gives a reason for every status that is not open', () => {
    for (const s of INVITATION_STATUSES) {
      const r = reminderSkipReason({ ...base, invitationStatus: s }, at);
      expect(r === null).toBe(s === 'pending' || s === 'accepted');
    }
  });
});
