/** §6 footprint: spawn → GET /health 200, and idle RSS (VmRSS from /proc) a few seconds after start. */
import { spawn } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import { ADMIN_TOKEN, freePort } from '../../test/support/app';
import { fig, Figure, log, REPO, sleep, vmRssMb } from '../lib';
import { Db, dropDatabase, newDatabase } from '../world';
import { NODE_FLAGS } from '../../src/node-flags';

async function once(db: Db, wired: boolean) {
  const port = await freePort();
  const databaseUrl = await newDatabase(db);
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PORT: String(port), DATABASE_URL: databaseUrl, ADMIN_API_TOKEN: ADMIN_TOKEN, LOG_LEVEL: 'warn' };
  if (wired) Object.assign(env, { SLACK_BOT_TOKEN: 'xoxb-bench', SLACK_SIGNING_SECRET: 'secret', SENDGRID_API_KEY: 'SG.bench', SENDGRID_API_URL: 'http://127.0.0.1:9', TWILIO_ACCOUNT_SID: 'AC' + '0'.repeat(32), TWILIO_AUTH_TOKEN: 'x', TWILIO_FROM: '+46700000000', TWILIO_API_URL: 'http://127.0.0.1:9', SLACK_API_URL: 'http://127.0.0.1:9/api/' });
  const t0 = performance.now();
  const child = spawn(process.execPath, [...NODE_FLAGS, path.join(REPO, 'dist/main.js')], { cwd: os.tmpdir(), env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  let startMs = NaN;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`app exited: ${out}`);
    try {
      const r = await fetch(`http://127.0.0.1:${port}/health`);
      if (r.status === 200) {
        startMs = performance.now() - t0;
        break;
      }
    } catch {
      /* not yet */
    }
    if (performance.now() - t0 > 30_000) break;
    await sleep(5);
  }
  await sleep(5000);
  const rss = vmRssMb(child.pid!);
  child.kill('SIGTERM');
  await new Promise((r) => child.on('exit', r));
  await dropDatabase(databaseUrl);
  return { startMs, rss };
}

export async function footprint(opts: { quick: boolean }): Promise<{ figures: Figure[]; raw: any }> {
  const runs = opts.quick ? 2 : 3;
  const res: Record<string, { startMs: number; rss: number }[]> = { sqlite: [], mysql: [] };
  for (const db of ['sqlite', 'mysql'] as Db[]) for (let i = 0; i < runs; i++) res[db].push(await once(db, true));
  log(`footprint: ${JSON.stringify(res)}`);
  const worst = (k: 'startMs' | 'rss') => Math.max(...Object.values(res).flat().map((r) => r[k]));
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  return {
    figures: [
      fig('footprint.start', 'Start-up: spawn → /health 200 (worst of runs)', worst('startMs') / 1000, 's', '≤ 3 s', worst('startMs') <= 3000, `fresh database each run (migrations included); median SQLite ${(med(res.sqlite.map((r) => r.startMs)) / 1000).toFixed(2)} s, MariaDB ${(med(res.mysql.map((r) => r.startMs)) / 1000).toFixed(2)} s`),
      fig('footprint.rss', 'Idle RSS 5 s after start (worst of runs)', worst('rss'), 'MB', '≤ 200 MB', worst('rss') <= 200, `median SQLite ${med(res.sqlite.map((r) => r.rss)).toFixed(0)} MB, MariaDB ${med(res.mysql.map((r) => r.rss)).toFixed(0)} MB`),
    ],
    raw: res,
  };
}
