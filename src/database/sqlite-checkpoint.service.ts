import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config.schema';
import { startSqliteCheckpointer } from './sqlite-checkpointer';

/** Runs the SQLite checkpoint worker (./sqlite-checkpointer) while the app runs on a SQLite file. */
@Injectable()
export class SqliteCheckpointService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Database');
  private checkpointer: { stop(): Promise<void> } | null = null;

  constructor(
    private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap() {
    this.checkpointer = startSqliteCheckpointer(this.db, this.config.database, this.logger);
  }

  async onModuleDestroy() {
    await this.checkpointer?.stop();
  }
}
