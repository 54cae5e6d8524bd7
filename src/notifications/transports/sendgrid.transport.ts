import { Client } from '@sendgrid/client';
import { DeliveryError } from '../../common/errors';
import { EmailTransport, OutgoingEmail, OutgoingEmailBatch, SentReceipt } from './transport.types';

interface SendgridErrorLike {
  code?: number | string;
  message?: string;
  response?: { headers?: Record<string, string>; body?: { errors?: { message?: string; field?: string }[] } };
}

/**
 * Email through SendGrid's official client (@sendgrid/client, the HTTP layer of @sendgrid/mail) with the v3 Mail Send
 * body written here: @sendgrid/mail's message helpers deep-clone and re-case every message, which cost about as
 * much CPU as the whole send. Vendor errors become DeliveryErrors.
 */
export class SendgridEmailTransport implements EmailTransport {
  private readonly client = new Client();

  constructor(apiKey: string, apiUrl?: string, timeoutMs = 10_000) {
    this.client.setApiKey(apiKey);
    // setApiKey() resets the base URL, so the override comes after it.
    if (apiUrl) this.client.setDefaultRequest('baseUrl', apiUrl.replace(/\/+$/, ''));
    // What @sendgrid/mail's setTimeout() does; the request type does not list axios' timeout.
    this.client.setDefaultRequest({ timeout: timeoutMs } as unknown as Parameters<Client['setDefaultRequest']>[0]);
  }

  async send(email: OutgoingEmail): Promise<SentReceipt> {
    try {
      const [response] = await this.client.request({ method: 'POST', url: '/v3/mail/send', body: mailSendBody(email) });
      const id = response.headers['x-message-id'] as string | undefined;
      return { providerMessageId: id ?? `sg-${email.outboxId}` };
    } catch (err) {
      throw sendgridError(err as SendgridErrorLike);
    }
  }

  async sendBatch(batch: OutgoingEmailBatch): Promise<SentReceipt[]> {
    try {
      const [response] = await this.client.request({ method: 'POST', url: '/v3/mail/send', body: mailSendBatchBody(batch) });
      const id = response.headers['x-message-id'] as string | undefined;
      return batch.recipients.map((r) => ({ providerMessageId: id ?? `sg-${r.outboxId}` }));
    } catch (err) {
      throw sendgridError(err as SendgridErrorLike);
    }
  }
}

/** The v3 Mail Send request body (https://www.twilio.com/docs/sendgrid/api-reference/mail-send/mail-send). */
export function mailSendBody(email: OutgoingEmail) {
  return {
    personalizations: [{ to: [email.to] }],
    from: email.from,
    ...(email.replyTo ? { reply_to: { email: email.replyTo } } : {}),
    subject: email.subject,
    content: [
      { type: 'text/plain', value: email.text },
      { type: 'text/html', value: email.html },
    ],
    ...(email.attachments?.length ? { attachments: email.attachments.map((a) => ({ content: a.content, filename: a.filename, type: a.type, disposition: 'attachment' })) } : {}),
    custom_args: { outboxId: String(email.outboxId) },
  };
}

/** One Mail Send request for a batch: a personalization per recipient with its subject, substitutions and outbox id. */
export function mailSendBatchBody(batch: OutgoingEmailBatch) {
  return {
    personalizations: batch.recipients.map((r) => ({ to: [r.to], subject: r.subject, substitutions: r.substitutions, custom_args: { outboxId: String(r.outboxId) } })),
    from: batch.from,
    ...(batch.replyTo ? { reply_to: { email: batch.replyTo } } : {}),
    content: [
      { type: 'text/plain', value: batch.text },
      { type: 'text/html', value: batch.html },
    ],
  };
}

export function sendgridError(err: SendgridErrorLike): DeliveryError {
  const status = typeof err.code === 'number' ? err.code : undefined;
  const detail = err.response?.body?.errors?.map((e) => (e.field ? `${e.field}: ${e.message}` : e.message)).join('; ');
  const message = `SendGrid ${status ?? err.code ?? 'network error'}: ${detail || err.message || 'unknown error'}`;
  if (status === undefined) return DeliveryError.temporary(message);
  if (status === 429) {
    const retryAfter = Number(err.response?.headers?.['retry-after']);
    return DeliveryError.throttled(message, Number.isFinite(retryAfter) ? retryAfter * 1000 : 1000, '429');
  }
  if (status >= 500 || status === 408) return DeliveryError.temporary(message, undefined, String(status));
  return DeliveryError.permanent(message, String(status));
}
