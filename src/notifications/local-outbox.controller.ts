import { Controller, Get, Header, Headers, Inject, NotFoundException, Param, ParseIntPipe, Query } from '@nestjs/common';
import { requireAdminToken } from '../common/admin-token';
import { DataSource, MoreThan } from 'typeorm';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config.schema';
import { LocalDelivery } from './local-delivery.entity';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Local mode: what the local transports "sent", readable in a browser at /outbox. */
@Controller('outbox')
export class LocalOutboxController {
  constructor(
    private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Open in local mode. Once a provider is configured the page holds real candidates' messages (and working answer
   * links) from the channels still local, so it takes the admin token; without one it does not exist.
   */
  private ensureLocal(authorization: string | undefined) {
    if (this.config.localMode) return;
    if (!this.config.adminApiToken) throw new NotFoundException();
    requireAdminToken(this.config, authorization);
  }

  @Get()
  @Header('content-type', 'text/html; charset=utf-8')
  async list(@Headers('authorization') authorization?: string): Promise<string> {
    this.ensureLocal(authorization);
    const rows = await this.db.getRepository(LocalDelivery).find({ order: { id: 'DESC' }, take: 200 });
    const items = rows
      .map(
        (r) =>
          `<tr><td>${r.id}</td><td>${r.createdAt.toISOString().slice(0, 19).replace('T', ' ')}</td><td>${r.channel}</td><td>${esc(r.recipient)}</td><td>${
            r.channel === 'email' ? `<a href="/outbox/${r.id}">${esc(r.subject ?? '(no subject)')}</a>` : `<pre>${esc(r.body.slice(0, 600))}</pre>`
          }</td></tr>`,
      )
      .join('');
    return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>Kallelse · local outbox</title>
<style>body{font:15px system-ui,sans-serif;margin:2rem;color:#1a1a1a}table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.4rem;text-align:left;vertical-align:top}pre{white-space:pre-wrap;margin:0;font:13px ui-monospace,monospace}</style></head>
<body><h1>Local outbox</h1><p>Everything Kallelse would have sent by email, SMS or Slack while no provider is configured. Newest first.</p>
<table><thead><tr><th>#</th><th>at (UTC)</th><th>channel</th><th>to</th><th>message</th></tr></thead><tbody>${items || '<tr><td colspan="5">Nothing sent yet.</td></tr>'}</tbody></table></body></html>`;
  }

  /** The same as JSON, oldest first after `after` (an id): for scripts such as `npm run demo`. */
  @Get('messages')
  async messages(@Query('after') after?: string, @Headers('authorization') authorization?: string) {
    this.ensureLocal(authorization);
    const rows = await this.db.getRepository(LocalDelivery).find({ where: after && /^\d+$/.test(after) ? { id: MoreThan(Number(after)) } : {}, order: { id: 'ASC' }, take: 500 });
    return rows.map((r) => ({ id: r.id, channel: r.channel, recipient: r.recipient, subject: r.subject, body: r.body, meta: r.meta, createdAt: r.createdAt.toISOString() }));
  }

  @Get(':id')
  @Header('content-type', 'text/html; charset=utf-8')
  async show(@Param('id', ParseIntPipe) id: number, @Headers('authorization') authorization?: string): Promise<string> {
    this.ensureLocal(authorization);
    const row = await this.db.getRepository(LocalDelivery).findOneBy({ id });
    if (!row) throw new NotFoundException();
    return row.channel === 'email' ? row.body : `<pre>${esc(row.body)}</pre>`;
  }
}
