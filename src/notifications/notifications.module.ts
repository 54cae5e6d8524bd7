import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config.schema';
import { EmailRenderer } from './email/email.renderer';
import { LocalOutboxController } from './local-outbox.controller';
import { OutboxDispatcher } from './outbox.dispatcher';
import { OutboxService } from './outbox.service';
import { ProviderRateLimiter } from './rate-limit/provider-rate-limiter';
import { LocalEmailTransport, LocalSmsTransport } from './transports/local.transport';
import { SendgridEmailTransport } from './transports/sendgrid.transport';
import { EMAIL_TRANSPORT, SMS_TRANSPORT } from './transports/transport.types';
import { TwilioSmsTransport } from './transports/twilio.transport';

@Module({
  controllers: [LocalOutboxController],
  providers: [
    OutboxService,
    OutboxDispatcher,
    ProviderRateLimiter,
    { provide: EmailRenderer, useFactory: () => EmailRenderer.create() },
    {
      provide: EMAIL_TRANSPORT,
      inject: [APP_CONFIG, DataSource],
      useFactory: (config: AppConfig, db: DataSource) => (config.sendgrid ? new SendgridEmailTransport(config.sendgrid.apiKey, config.sendgrid.apiUrl) : new LocalEmailTransport(db)),
    },
    {
      provide: SMS_TRANSPORT,
      inject: [APP_CONFIG, DataSource],
      useFactory: (config: AppConfig, db: DataSource) =>
        config.twilio ? new TwilioSmsTransport({ ...config.twilio, statusCallbackUrl: `${config.publicBaseUrl}/sms/status` }) : new LocalSmsTransport(db),
    },
  ],
  exports: [OutboxService, OutboxDispatcher, ProviderRateLimiter, EmailRenderer, EMAIL_TRANSPORT, SMS_TRANSPORT],
})
export class NotificationsModule {}
