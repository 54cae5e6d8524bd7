import type { InvitationStatus } from '../common/domain';

export interface ReminderFacts {
  channel: 'email' | 'sms';
  interviewStatus: 'scheduled' | 'cancelled';
  invitationStatus: InvitationStatus;
  startsAt: Date;
  mobile: string | null;
  optedOut: boolean;
}

/** SPEC §2.3: why a due reminder must not go out at `at`, or null when it goes. Pure. */
export function reminderSkipReason(f: ReminderFacts, at: Date): string | null {
  if (f.interviewStatus === 'cancelled') return 'the interview was cancelled';
  switch (f.invitationStatus) {
    case 'declined':
      return 'the candidate declined';
    case 'withdrawn':
      return 'the candidate withdrew the application';
    case 'cancelled':
      return 'the interview was cancelled';
    case 'new_time_requested':
      return 'the candidate is waiting for a new time';
  }
  if (f.startsAt <= at) return 'the interview had already started';
  if (f.channel === 'sms') {
    if (!f.mobile) return 'the candidate has no mobile number';
    if (f.optedOut) return 'the number opted out of SMS (STOP)';
  }
  return null;
}
