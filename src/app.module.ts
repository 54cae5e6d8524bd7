import { DynamicModule, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { AdminModule } from './admin/admin.module';
import { CommonModule } from './common/common.module';
import { ConfigModule } from './config/config.module';
import type { AppConfig } from './config/config.schema';
import { DatabaseModule } from './database/database.module';
import { HealthController } from './health/health.controller';
import { InterviewsModule } from './interviews/interviews.module';
import { NotificationsModule } from './notifications/notifications.module';
import { RemindersModule } from './reminders/reminders.module';
import { ResponsesModule } from './responses/responses.module';
import { SlackModule } from './slack/slack.module';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [ConfigModule.forRoot(config), CommonModule, DatabaseModule, ScheduleModule.forRoot(), NotificationsModule, InterviewsModule, AdminModule, SlackModule, RemindersModule, ResponsesModule],
      controllers: [HealthController],
    };
  }
}
