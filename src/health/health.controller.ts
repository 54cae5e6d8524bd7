import { Controller, Get, Res } from '@nestjs/common';
import type { Response } from 'express';
import { DataSource } from 'typeorm';

@Controller('health')
export class HealthController {
  constructor(private readonly db: DataSource) {}

  @Get()
  async health(@Res() res: Response) {
    try {
      await Promise.race([this.db.query('SELECT 1'), new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 2000).unref())]);
      res.status(200).json({ status: 'ok', database: 'up' });
    } catch (err) {
      res.status(503).json({ status: 'unavailable', database: 'down', error: (err as Error).message });
    }
  }
}
