import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config.schema';
import { dataSourceOptions } from './data-source';
import { SqliteCheckpointService } from './sqlite-checkpoint.service';

@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({ ...dataSourceOptions(config.database), migrationsRun: true, retryAttempts: 3, retryDelay: 1000 }),
    }),
  ],
  providers: [SqliteCheckpointService],
})
export class DatabaseModule {}
