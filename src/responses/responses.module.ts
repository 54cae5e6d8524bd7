import { Module } from '@nestjs/common';
import { InterviewsModule } from '../interviews/interviews.module';
import { ConfirmController } from './confirm.controller';
import { DeliveryFeedbackService } from './delivery-feedback.service';
import { EmailEventsController } from './email-events.controller';
import { SmsController } from './sms.controller';
import { SmsInboundService } from './sms-inbound.service';

@Module({
  imports: [InterviewsModule],
  controllers: [ConfirmController, SmsController, EmailEventsController],
  providers: [SmsInboundService, DeliveryFeedbackService],
})
export class ResponsesModule {}
