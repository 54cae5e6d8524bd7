import type { InvitationStatus } from '../common/domain';

/**
 * Which of a number's answerable invitations (earliest upcoming first) an SMS is about: the one its reference names;
 * without a reference that names one, the earliest that is not declined (a "no" is still open to change, but a
 * bare "yes" is meant for what is still to be answered), else the earliest declined one.
 */
export function smsTarget<T extends { invitation: { ref: string | null; status: InvitationStatus } }>(answerable: T[], ref: string | null): T | undefined {
  const named = ref ? answerable.find((o) => o.invitation.ref === ref) : undefined;
  return named ?? answerable.find((o) => o.invitation.status !== 'declined') ?? answerable[0];
}
