import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { DataSource, In, LessThanOrEqual } from 'typeorm';
import { CLOCK, Clock } from '../common/clock';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config.schema';
import { OutboxMessage } from '../notifications/outbox.entity';
import { OutboxDispatcher } from '../notifications/outbox.dispatcher';
import { REMINDER_KINDS } from './reminder-scheduler.listener';

/** Every REMINDER_SWEEP_SECONDS: hands the reminders that have fallen due to the dispatcher. */
@Injectable()
export class ReminderSweep implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('ReminderSweep');

  constructor(
    private readonly db: DataSource,
    private readonly dispatcher: OutboxDispatcher,
    private readonly scheduler: SchedulerRegistry,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap() {
    if (this.config.role === 'web') return;
    const timer = setInterval(() => void this.sweep().catch((err: Error) => this.logger.warn({ msg: 'sweep failed', error: err.message })), this.config.reminder.sweepSeconds * 1000);
    timer.unref();
    this.scheduler.addInterval('reminder-sweep', timer);
  }

  onApplicationShutdown() {
    if (this.scheduler.doesExist('interval', 'reminder-sweep')) this.scheduler.deleteInterval('reminder-sweep');
  }

  async sweep(): Promise<number> {
    const due = await this.db.getRepository(OutboxMessage).count({ where: { state: 'scheduled', kind: In(REMINDER_KINDS), dueAt: LessThanOrEqual(this.clock.now()) } });
    if (due > 0) this.dispatcher.kick();
    return due;
  }
}
