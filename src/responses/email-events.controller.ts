import { BadRequestException, Controller, ForbiddenException, Headers, HttpCode, Inject, Post, Req } from '@nestjs/common';
import type { Request } from 'express';
import { createVerify, KeyObject } from 'node:crypto';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config.schema';
import { sendgridWebhookKey } from '../config/sendgrid-webhook-key';
import { DeliveryFeedbackService } from './delivery-feedback.service';

const MAX_SKEW_S = 10 * 60;

/**
 * SendGrid's Event Webhook; with SENDGRID_WEBHOOK_PUBLIC_KEY set, only signed batches are taken (ECDSA P-256 over
 * timestamp + raw body). Without SendGrid and outside local mode no genuine event can come, so none is taken.
 */
@Controller('email')
export class EmailEventsController {
  private readonly key: KeyObject | null;
  private readonly open: boolean;

  constructor(
    private readonly feedback: DeliveryFeedbackService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    const pem = config.sendgridWebhookPublicKey;
    this.key = pem ? sendgridWebhookKey(pem) : null;
    this.open = !!config.sendgrid || config.localMode;
  }

  @Post('events')
  @HttpCode(200)
  async events(
    @Req() req: Request,
    @Headers('x-twilio-email-event-webhook-signature') signature?: string,
    @Headers('x-twilio-email-event-webhook-timestamp') timestamp?: string,
  ) {
    const raw: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    if (!this.key && !this.open) throw new ForbiddenException('SendGrid is not configured here (SENDGRID_API_KEY): no email event is taken.');
    if (this.key) {
      if (!signature || !timestamp || !/^\d+$/.test(timestamp)) throw new ForbiddenException('Missing SendGrid event webhook signature.');
      if (Math.abs(Date.now() / 1000 - Number(timestamp)) > MAX_SKEW_S) throw new ForbiddenException('Stale SendGrid event webhook timestamp.');
      const verify = createVerify('sha256');
      verify.update(timestamp);
      verify.update(raw);
      let ok = false;
      try {
        ok = verify.verify(this.key, Buffer.from(signature, 'base64'));
      } catch {
        ok = false;
      }
      if (!ok) throw new ForbiddenException('Invalid SendGrid event webhook signature.');
    }
    let events: unknown;
    try {
      events = JSON.parse(raw.toString('utf8'));
    } catch {
      events = undefined;
    }
    if (!Array.isArray(events)) throw new BadRequestException('The body must be a JSON array of SendGrid events.');
    const { applied, skipped } = await this.feedback.emailEvents(events);
    return { received: events.length, applied, skipped };
  }
}
