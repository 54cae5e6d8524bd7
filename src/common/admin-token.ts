import { ForbiddenException, UnauthorizedException } from '@nestjs/common';
import { timingSafeEqual } from 'node:crypto';
import type { AppConfig } from '../config/config.schema';

/** Throws the HTTP error for a request that does not carry `Authorization: Bearer <ADMIN_API_TOKEN>`. */
export function requireAdminToken(config: AppConfig, authorization: string | undefined): void {
  if (!config.adminApiToken) throw new ForbiddenException('The admin API is disabled: set ADMIN_API_TOKEN to enable it.');
  const match = /^Bearer\s+(.+)$/i.exec(authorization ?? '');
  if (!match) throw new UnauthorizedException('Missing bearer token: send Authorization: Bearer <ADMIN_API_TOKEN>.');
  const given = Buffer.from(match[1].trim());
  const expected = Buffer.from(config.adminApiToken);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new UnauthorizedException('Wrong admin API token.');
}
