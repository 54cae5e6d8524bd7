import { Global, Module } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config.schema';
import { CLOCK, ManualClock, SystemClock } from './clock';

@Global()
@Module({
  providers: [{ provide: CLOCK, inject: [APP_CONFIG], useFactory: (config: AppConfig) => (config.clock === 'manual' ? new ManualClock() : new SystemClock()) }],
  exports: [CLOCK],
})
export class CommonModule {}
