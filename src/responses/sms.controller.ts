import { Body, Controller, ForbiddenException, Headers, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ValidationFailed } from '../common/errors';
import { sendBody } from '../common/send-body';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config.schema';
import { DeliveryFeedbackService } from './delivery-feedback.service';
import { SmsInboundService } from './sms-inbound.service';
import { inboundSmsFromForm } from './twilio-form';
import { validTwilioSignature } from './twilio-signature';

const xml = (s: string) => s.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);

@Controller('sms')
export class SmsController {
  constructor(
    private readonly inbound: SmsInboundService,
    private readonly feedback: DeliveryFeedbackService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private check(req: Request, signature: string | undefined, body: Record<string, unknown> | undefined) {
    const token = this.config.twilio?.authToken ?? this.config.localSigningSecret;
    if (!token) throw new ForbiddenException('Twilio is not configured here (TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN): no SMS webhook is taken.');
    if (!validTwilioSignature(token, signature, this.config.publicBaseUrl + req.originalUrl, body ?? {})) throw new ForbiddenException('Invalid Twilio signature.');
  }

  @Post('inbound')
  @HttpCode(200)
  async inboundSms(@Req() req: Request, @Res() res: Response, @Headers('x-twilio-signature') signature: string | undefined, @Body() body: Record<string, unknown> | undefined) {
    this.check(req, signature, body);
    const read = inboundSmsFromForm(body);
    if ('errors' in read) throw new ValidationFailed(read.errors);
    const reply = await this.inbound.receive(read.sms);
    sendBody(res, 200, { 'content-type': 'text/xml; charset=utf-8' }, `<?xml version="1.0" encoding="UTF-8"?><Response>${reply ? `<Message>${xml(reply)}</Message>` : ''}</Response>`);
  }

  @Post('status')
  @HttpCode(204)
  async status(@Req() req: Request, @Headers('x-twilio-signature') signature: string | undefined, @Body() body: Record<string, string>) {
    this.check(req, signature, body);
    await this.feedback.smsStatus(String(body.MessageSid ?? ''), String(body.MessageStatus ?? ''), body.ErrorCode);
  }
}
