import { CanActivate, ExecutionContext, ForbiddenException, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config.schema';

@Injectable()
export class AdminTokenGuard implements CanActivate {
  private readonly expected: Buffer | null;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.expected = config.adminApiToken ? Buffer.from(config.adminApiToken) : null;
  }

  canActivate(context: ExecutionContext): boolean {
    if (!this.expected) throw new ForbiddenException('The admin API is disabled: set ADMIN_API_TOKEN to enable it.');
    const header = context.switchToHttp().getRequest<Request>().headers.authorization ?? '';
    const match = /^Bearer\s+(.+)$/i.exec(header);
    if (!match) throw new UnauthorizedException('Missing bearer token: send Authorization: Bearer <ADMIN_API_TOKEN>.');
    const given = Buffer.from(match[1].trim());
    if (given.length !== this.expected.length || !timingSafeEqual(given, this.expected)) throw new UnauthorizedException('Wrong admin API token.');
    return true;
  }
}
