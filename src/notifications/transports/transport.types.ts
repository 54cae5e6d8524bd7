/** One small interface per channel; one adapter per vendor plus a local one (SPEC §5). */

export interface EmailAttachment {
  filename: string;
  type: string;
  /** base64 */
  content: string;
}

export interface OutgoingEmail {
  to: { email: string; name?: string };
  from: { email: string; name?: string };
  replyTo?: string;
  subject: string;
  html: string;
  text: string;
  attachments?: EmailAttachment[];
  /** Returned by the provider's event webhook so that delivery feedback finds its outbox row. */
  outboxId: number;
}

/**
 * One content for several recipients (SendGrid personalizations): each recipient gets the HTML and text with its
 * own substitutions applied, its own subject, and its outbox id back in the provider's events.
 */
export interface OutgoingEmailBatch {
  from: { email: string; name?: string };
  replyTo?: string;
  html: string;
  text: string;
  recipients: { to: { email: string; name?: string }; subject: string; substitutions: Record<string, string>; outboxId: number }[];
}

export interface OutgoingSms {
  to: string;
  body: string;
  outboxId: number;
  /** Seconds the provider may keep trying before giving up (so that nothing arrives at night). */
  validityPeriod?: number;
}

export interface SentReceipt {
  providerMessageId: string;
}

export interface EmailTransport {
  send(email: OutgoingEmail): Promise<SentReceipt>;
  /** One provider request for all recipients: all accepted (one receipt each, in order) or none. Optional. */
  sendBatch?(batch: OutgoingEmailBatch): Promise<SentReceipt[]>;
}

export interface SmsTransport {
  send(sms: OutgoingSms): Promise<SentReceipt>;
}

export const EMAIL_TRANSPORT = Symbol('EMAIL_TRANSPORT');
export const SMS_TRANSPORT = Symbol('SMS_TRANSPORT');
