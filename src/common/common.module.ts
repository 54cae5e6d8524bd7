import { Global, Module } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config.schema';
import { CLOCK, ManualClock, SystemClock } from './clock';
import { Foreground } from './foreground';

@Global()
@Module({
  providers: [
    { provide: CLOCK, inject: [APP_CONFIG], useFactory: (config: AppConfig) => (config.clock === 'manual' ? new ManualClock() : new SystemClock()) },
    { provide: Foreground, useFactory: () => new Foreground() },
  ],
  exports: [CLOCK, Foreground],
})
export class CommonModule {}
