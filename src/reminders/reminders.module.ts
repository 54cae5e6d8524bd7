import { Module } from '@nestjs/common';
import { InterviewsModule } from '../interviews/interviews.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { ReminderScheduler } from './reminder-scheduler.listener';
import { ReminderHandlers } from './reminder.handlers';
import { ReminderSweep } from './reminder.sweep';

@Module({
  imports: [InterviewsModule, NotificationsModule],
  providers: [ReminderScheduler, ReminderHandlers, ReminderSweep],
})
export class RemindersModule {}
