import { Client } from '@sendgrid/client';
import { MailService } from '@sendgrid/mail';
import { DeliveryError } from '../../common/errors';
import { EmailTransport, OutgoingEmail, SentReceipt } from './transport.types';

interface SendgridErrorLike {
  code?: number | string;
  message?: string;
  response?: { headers?: Record<string, string>; body?: { errors?: { message?: string; field?: string }[] } };
}

/** Email through the official @sendgrid/mail client; vendor errors become DeliveryErrors. */
export class SendgridEmailTransport implements EmailTransport {
  private readonly mail = new MailService();

  constructor(apiKey: string, apiUrl?: string, timeoutMs = 10_000) {
    const client = new Client();
    client.setApiKey(apiKey);
    // setApiKey() resets the base URL, so the override comes after it.
    if (apiUrl) client.setDefaultRequest('baseUrl', apiUrl.replace(/\/+$/, ''));
    this.mail.setClient(client);
    this.mail.setTimeout(timeoutMs);
  }

  async send(email: OutgoingEmail): Promise<SentReceipt> {
    try {
      const [response] = await this.mail.send({
        to: email.to,
        from: email.from,
        replyTo: email.replyTo,
        subject: email.subject,
        text: email.text,
        html: email.html,
        attachments: email.attachments?.map((a) => ({ ...a, disposition: 'attachment' })),
        customArgs: { outboxId: String(email.outboxId) },
      });
      const id = response.headers['x-message-id'] as string | undefined;
      return { providerMessageId: id ?? `sg-${email.outboxId}` };
    } catch (err) {
      throw sendgridError(err as SendgridErrorLike);
    }
  }
}

export function sendgridError(err: SendgridErrorLike): DeliveryError {
  const status = typeof err.code === 'number' ? err.code : undefined;
  const detail = err.response?.body?.errors?.map((e) => (e.field ? `${e.field}: ${e.message}` : e.message)).join('; ');
  const message = `SendGrid ${status ?? err.code ?? 'network error'}: ${detail || err.message || 'unknown error'}`;
  if (status === undefined) return DeliveryError.temporary(message);
  if (status === 429) {
    const retryAfter = Number(err.response?.headers?.['retry-after']);
    return DeliveryError.temporary(message, Number.isFinite(retryAfter) ? retryAfter * 1000 : undefined, '429');
  }
  if (status >= 500 || status === 408) return DeliveryError.temporary(message, undefined, String(status));
  return DeliveryError.permanent(message, String(status));
}
