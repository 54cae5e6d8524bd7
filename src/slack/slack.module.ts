import { Module } from '@nestjs/common';
import { InterviewsModule } from '../interviews/interviews.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { CardService } from './card.service';
import { LocalSlackController } from './local-slack.controller';
import { SlackApi } from './slack-api';
import { SlackBoltService } from './slack-bolt.service';
import { SlackNotifier } from './slack-notifier.listener';
import { SlackOutboxHandler } from './slack-outbox.handler';
import { SLACK_API } from './slack.tokens';

@Module({
  imports: [InterviewsModule, NotificationsModule],
  controllers: [LocalSlackController],
  providers: [
    SlackBoltService,
    CardService,
    SlackNotifier,
    SlackOutboxHandler,
    { provide: SLACK_API, inject: [SlackBoltService], useFactory: (bolt: SlackBoltService) => new SlackApi(bolt.client) },
  ],
  exports: [SlackBoltService],
})
export class SlackModule {}
