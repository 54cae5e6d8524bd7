import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import express from 'express';
import { isUtf8 } from 'node:buffer';
import { randomUUID } from 'node:crypto';
import * as os from 'node:os';
import onHeaders from 'on-headers';
import { AppModule } from './app.module';
import { bodyParserError, HttpErrorFilter } from './common/http-exception.filter';
import { JsonLogger, requestContext } from './common/logger';
import { Foreground } from './common/foreground';
import { memoiseZoneOffsets } from './common/zone-offsets';
import { ConfigError, loadConfig } from './config/config.schema';
import { readEnv } from './config/env';
import { SlackBoltService } from './slack/slack-bolt.service';

/** How much lower than its parent a ROLE=worker process runs (nice), so that serving requests comes first. */
const WORKER_NICE_STEP = 10;

async function bootstrap() {
  memoiseZoneOffsets();
  let config;
  try {
    config = loadConfig(readEnv());
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\nSee .env.example and the README's configuration table.\n`);
      process.exit(1);
    }
    throw err;
  }
  const logger = new JsonLogger(config.logLevel);
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), { bodyParser: false, logger, abortOnError: false });
  app.set('trust proxy', true);
  app.disable('x-powered-by');
  // Every page and answer is no-store; hashing each body for an ETag only costs time.
  app.set('etag', false);
  if (config.role === 'worker') {
    // Background sending yields the CPU to request-serving processes (and the database) on a shared machine.
    try {
      os.setPriority(Math.min(19, os.getPriority() + WORKER_NICE_STEP));
    } catch {
      /* not permitted: run at normal priority */
    }
    app.use((req: express.Request, res: express.Response, next: express.NextFunction) =>
      req.path === '/health' ? next() : res.status(404).json({ statusCode: 404, error: 'Not Found', message: 'This instance only sends (ROLE=worker); send requests to a web instance.' }),
    );
  }
  const foreground = app.get(Foreground);
  app.use((req: express.Request, res: express.Response, next: express.NextFunction) => {
    const logged = req.path !== '/health';
    const end = logged && !req.path.startsWith('/local-slack/') ? foreground.begin() : null;
    const incoming = req.headers['x-request-id'];
    const requestId = typeof incoming === 'string' && /^[\w.-]{1,100}$/.test(incoming) ? incoming : randomUUID();
    res.setHeader('x-request-id', requestId);
    const started = process.hrtime.bigint();
    // Time to the response's headers, for the caller (and the bench) to see server-side latency.
    onHeaders(res, function (this: express.Response) {
      this.setHeader('server-timing', `app;dur=${(Number(process.hrtime.bigint() - started) / 1e6).toFixed(1)}`);
    });
    // 'close' comes once the response is sent, or when the client went away before that (then `aborted`).
    res.once('close', () => {
      end?.();
      if (!logged || !logger.enabled('info')) return;
      const entry = { msg: 'request', method: req.method, path: req.path.startsWith('/r/') ? '/r/:token' : req.path, status: res.statusCode, ms: Number(process.hrtime.bigint() - started) / 1e6, ...(res.writableFinished ? {} : { aborted: true }) };
      requestContext.run({ requestId }, () => logger.log(entry, 'Http'));
    });
    requestContext.run({ requestId }, next);
  });
  app.use(
    '/api',
    express.json({
      limit: '100kb',
      strict: true,
      type: () => true,
      verify: (_req, _res, buf) => {
        if (!isUtf8(buf)) throw Object.assign(new Error('The request body is not valid UTF-8.'), { status: 400, type: 'encoding.invalid' });
      },
    }),
  );
  app.use(['/r', '/sms'], express.urlencoded({ extended: false, limit: '64kb' }));
  app.use('/email/events', express.raw({ type: () => true, limit: '5mb' }));
  app.use('/local-slack', express.urlencoded({ extended: false, limit: '1mb' }), express.json({ limit: '1mb' }));
  app.use('/slack/events', express.raw({ type: () => true, limit: '10mb' }));
  app.use(app.get(SlackBoltService).router);
  app.use((err: unknown, _req: express.Request, res: express.Response, next: express.NextFunction) => {
    const body = bodyParserError(err);
    if (!body) return next(err);
    res.status(body.status).json(body.json);
  });
  app.useGlobalFilters(new HttpErrorFilter());
  let closing = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (closing) return;
      closing = true;
      logger.log({ msg: 'shutting down: finishing the dispatcher batch', signal }, 'Bootstrap');
      app.close().then(
        () => process.exit(0),
        (err: unknown) => {
          logger.error(err);
          process.exit(1);
        },
      );
    });
  }
  await app.listen(config.port, '0.0.0.0');
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  logger.log({ msg: 'Kallelse is listening', port, publicBaseUrl: config.publicBaseUrl, database: config.database.type, slack: config.slack ? 'web api' : 'local', email: config.sendgrid ? 'sendgrid' : 'local', sms: config.twilio ? 'twilio' : 'local' }, 'Bootstrap');
}

bootstrap().catch((err: unknown) => {
  process.stderr.write(`Kallelse failed to start: ${(err as Error)?.stack ?? String(err)}\n`);
  process.exit(1);
});
