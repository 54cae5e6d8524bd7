import { Body, Controller, HttpCode, Inject, NotFoundException, Param, Post } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config.schema';
import { LocalDelivery } from '../notifications/local-delivery.entity';

let seq = 0;

/**
 * Local mode (no Slack credentials): the app's own WebClient is pointed here, so every Slack call is stored
 * for the /outbox page and answered as Slack would, without leaving the machine.
 */
@Controller('local-slack/api')
export class LocalSlackController {
  constructor(
    private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post(':method')
  @HttpCode(200)
  async call(@Param('method') method: string, @Body() body: Record<string, unknown>) {
    if (this.config.slack) throw new NotFoundException();
    const args: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(body ?? {})) args[k] = typeof v === 'string' && /^[[{]/.test(v) ? safeJson(v) : v;
    if (method !== 'auth.test') {
      await this.db.getRepository(LocalDelivery).insert({
        channel: 'slack',
        recipient: String(args.channel ?? args.user_id ?? args.user ?? args.trigger_id ?? method),
        subject: method,
        body: JSON.stringify(args, null, 2),
        meta: { method },
        createdAt: new Date(),
      });
    }
    const ts = `${Math.floor(Date.now() / 1000)}.${String(++seq).padStart(6, '0')}`;
    switch (method) {
      case 'auth.test':
        return { ok: true, user_id: 'ULOCALBOT', bot_id: 'BLOCAL', team_id: 'TLOCAL', url: 'http://localhost/' };
      case 'chat.postMessage':
      case 'chat.update':
        return { ok: true, channel: args.channel, ts: method === 'chat.update' ? args.ts : ts };
      case 'views.open':
      case 'views.update':
      case 'views.push':
      case 'views.publish':
        return { ok: true, view: { ...(args.view as object), id: `VLOCAL${seq}` } };
      default:
        return { ok: true };
    }
  }
}

function safeJson(v: string): unknown {
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}
