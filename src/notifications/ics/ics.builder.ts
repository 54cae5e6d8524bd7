/**
 * Calendar file for the invitation email (SPEC §3): METHOD:REQUEST with a stable UID per invitation
 * and SEQUENCE raised on reschedule; METHOD:CANCEL + STATUS:CANCELLED on cancel. Times in UTC.
 * Pure; uses the `ics` package (v3).
 */
import { createEvent, type EventAttributes } from 'ics';

export interface IcsPerson {
  name: string;
  email: string;
}

export interface IcsInput {
  /** Stable per invitation, e.g. `invitation-42@kallelse.example.com`. */
  uid: string;
  /** 0 for the first invitation, raised on every reschedule and on cancel. */
  sequence: number;
  method: 'REQUEST' | 'CANCEL';
  startsAt: Date;
  durationMinutes: number;
  title: string;
  description: string;
  location: string | null;
  organizer: IcsPerson;
  attendee: IcsPerson;
}

export const ICS_PRODUCT_ID = '-//Kallelse//Interview invitations//EN';

export function buildIcs(input: IcsInput): string {
  const start = input.startsAt.getTime();
  if (!Number.isFinite(start)) throw new Error(`Cannot build calendar file ${input.uid}: invalid start time`);
  if (!Number.isInteger(input.sequence) || input.sequence < 0) {
    throw new Error(`Cannot build calendar file ${input.uid}: sequence must be a non-negative integer, got ${input.sequence}`);
  }
  if (!(input.durationMinutes > 0)) {
    throw new Error(`Cannot build calendar file ${input.uid}: duration must be positive, got ${input.durationMinutes}`);
  }
  const cancel = input.method === 'CANCEL';
  const attrs: EventAttributes = {
    productId: ICS_PRODUCT_ID,
    method: input.method,
    uid: input.uid,
    sequence: input.sequence,
    start,
    startInputType: 'utc',
    startOutputType: 'utc',
    duration: { minutes: Math.round(input.durationMinutes) },
    title: input.title,
    description: input.description,
    ...(input.location ? { location: input.location } : {}),
    status: cancel ? 'CANCELLED' : 'CONFIRMED',
    busyStatus: cancel ? 'FREE' : 'BUSY',
    organizer: { name: input.organizer.name, email: input.organizer.email },
    attendees: [
      {
        name: input.attendee.name,
        email: input.attendee.email,
        rsvp: !cancel,
        partstat: 'NEEDS-ACTION',
        role: 'REQ-PARTICIPANT',
      },
    ],
  };
  const { error, value } = createEvent(attrs);
  if (error || !value) {
    throw new Error(`Cannot build calendar file ${input.uid}: ${error ? error.message : 'ics returned no value'}`);
  }
  return value;
}
