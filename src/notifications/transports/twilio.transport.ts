import twilio from 'twilio';
import { TwilioBaseUrlRequestClient } from './twilio-base-url.client';
import { DeliveryError } from '../../common/errors';
import { OutgoingSms, SentReceipt, SmsTransport } from './transport.types';

export interface TwilioSettings {
  accountSid: string;
  authToken: string;
  from?: string;
  messagingServiceSid?: string;
  apiUrl?: string;
  statusCallbackUrl: string;
}

interface RestExceptionLike {
  status?: number;
  code?: number | string;
  message?: string;
}

export class TwilioSmsTransport implements SmsTransport {
  private readonly client: twilio.Twilio;

  constructor(private readonly settings: TwilioSettings, timeoutMs = 10_000) {
    const httpClient = settings.apiUrl ? new TwilioBaseUrlRequestClient(settings.apiUrl, { timeout: timeoutMs }) : new twilio.RequestClient({ timeout: timeoutMs });
    this.client = twilio(settings.accountSid, settings.authToken, { httpClient, autoRetry: false });
  }

  async send(sms: OutgoingSms): Promise<SentReceipt> {
    try {
      const msg = await this.client.messages.create({
        to: sms.to,
        body: sms.body,
        ...(this.settings.messagingServiceSid ? { messagingServiceSid: this.settings.messagingServiceSid } : { from: this.settings.from! }),
        statusCallback: this.settings.statusCallbackUrl,
        ...(sms.validityPeriod ? { validityPeriod: sms.validityPeriod } : {}),
      });
      return { providerMessageId: msg.sid };
    } catch (err) {
      throw twilioError(err as RestExceptionLike);
    }
  }
}

/** Twilio codes that mean this number will never take the message. */
const PERMANENT_CODES = new Set([21211, 21214, 21408, 21606, 21610, 21612, 21614, 21617, 21635, 30003, 30004, 30005, 30006, 30007, 30008]);

export function twilioError(err: RestExceptionLike): DeliveryError {
  const status = typeof err.status === 'number' ? err.status : undefined;
  const code = typeof err.code === 'number' ? err.code : Number(err.code);
  const message = `Twilio ${status ?? 'network error'}${Number.isFinite(code) ? ` (${code})` : ''}: ${err.message ?? 'unknown error'}`;
  if (status === undefined) return DeliveryError.temporary(message);
  if (status === 429) return DeliveryError.throttled(message, 1000, String(code || status));
  if (status >= 500 || status === 408) return DeliveryError.temporary(message, undefined, String(code || status));
  if (PERMANENT_CODES.has(code) || status >= 400) return DeliveryError.permanent(message, String(code || status));
  return DeliveryError.temporary(message);
}
