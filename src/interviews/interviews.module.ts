import { Module } from '@nestjs/common';
import { NotificationsModule } from '../notifications/notifications.module';
import { DirectoryService } from './directory.service';
import { InterviewHooks } from './interview.hooks';
import { InterviewsService } from './interviews.service';
import { InvitationEmailHandler } from './invitation-email.handler';
import { InvitationMailer } from './invitation-mailer.service';

@Module({
  imports: [NotificationsModule],
  providers: [DirectoryService, InterviewsService, InterviewHooks, InvitationEmailHandler, InvitationMailer],
  exports: [DirectoryService, InterviewsService, InterviewHooks, InvitationMailer],
})
export class InterviewsModule {}
