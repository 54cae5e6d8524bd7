import { Controller, Get, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config.schema';

@Controller('health')
export class HealthController {
  constructor(
    private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  async health(@Res() res: Response) {
    try {
      await Promise.race([this.db.query('SELECT 1'), new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 2000).unref())]);
      res.status(200).json({ status: 'ok', database: 'up', instance: this.config.instanceId });
    } catch (err) {
      res.status(503).json({ status: 'unavailable', database: 'down', instance: this.config.instanceId, error: (err as Error).message });
    }
  }
}
