import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { LocalDelivery } from '../local-delivery.entity';
import { EmailTransport, OutgoingEmail, OutgoingSms, SentReceipt, SmsTransport } from './transport.types';

/** Keeps what would have been sent in the database, for the /outbox page (local mode). */
export class LocalEmailTransport implements EmailTransport {
  constructor(private readonly db: DataSource) {}

  async send(email: OutgoingEmail): Promise<SentReceipt> {
    const id = `local-${randomUUID()}`;
    await this.db.getRepository(LocalDelivery).insert({
      channel: 'email',
      recipient: email.to.email,
      subject: email.subject,
      body: email.html,
      meta: { text: email.text, from: email.from, attachments: (email.attachments ?? []).map((a) => ({ filename: a.filename, type: a.type, content: a.content })), providerMessageId: id, outboxId: email.outboxId },
      createdAt: new Date(),
    });
    return { providerMessageId: id };
  }
}

export class LocalSmsTransport implements SmsTransport {
  constructor(private readonly db: DataSource) {}

  async send(sms: OutgoingSms): Promise<SentReceipt> {
    const id = `local-${randomUUID()}`;
    await this.db.getRepository(LocalDelivery).insert({
      channel: 'sms',
      recipient: sms.to,
      subject: null,
      body: sms.body,
      meta: { providerMessageId: id, outboxId: sms.outboxId },
      createdAt: new Date(),
    });
    return { providerMessageId: id };
  }
}
