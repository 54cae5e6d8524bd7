import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { createConnection } from 'mysql2/promise';
import { NODE_FLAGS } from '../../src/node-flags';

export const ROOT = path.resolve(__dirname, '../..');
export const ADMIN_TOKEN = 'test-admin-token-0123456789';

/** The database the suite runs on: DATABASE_URL=mysql://… runs it on MySQL/MariaDB, anything else on SQLite files. */
export function engine(): 'mysql' | 'sqlite' {
  return process.env.DATABASE_URL?.startsWith('mysql://') ? 'mysql' : 'sqlite';
}

/** A fresh, empty database for one test file (no test depends on another's rows). */
export async function freshDatabase(): Promise<string> {
  const name = `k_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  if (engine() === 'mysql') {
    const base = new URL(process.env.DATABASE_URL!);
    const conn = await createConnection({ host: base.hostname, port: Number(base.port || 3306), user: decodeURIComponent(base.username), password: decodeURIComponent(base.password) });
    await conn.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    await conn.end();
    base.pathname = `/${name}`;
    return base.toString();
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kallelse-'));
  return `sqlite:${path.join(dir, `${name}.sqlite`)}`;
}

export async function dropDatabase(url: string): Promise<void> {
  if (!url.startsWith('mysql://')) return;
  const u = new URL(url);
  const conn = await createConnection({ host: u.hostname, port: Number(u.port || 3306), user: decodeURIComponent(u.username), password: decodeURIComponent(u.password) });
  await conn.query(`DROP DATABASE IF EXISTS \`${u.pathname.slice(1)}\``);
  await conn.end();
}

/**
 * Each jest worker takes app ports from its own block below the kernel's ephemeral range (32768+), so that no other
 * worker's app, stand-in or outgoing connection can be handed the same port, even when an app dies and frees it.
 */
const PORT_BLOCK = 1000;
const PORT_BASE = 20000;
let nextPortOffset = Math.floor(Math.random() * PORT_BLOCK);

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '0.0.0.0', () => srv.close(() => resolve(true)));
  });
}

export async function freePort(): Promise<number> {
  const block = PORT_BASE + (Number(process.env.JEST_WORKER_ID ?? 0) % 12) * PORT_BLOCK;
  for (let tries = 0; tries < PORT_BLOCK; tries++) {
    const port = block + (nextPortOffset++ % PORT_BLOCK);
    if (await canListen(port)) return port;
  }
  throw new Error(`no free port in ${block}-${block + PORT_BLOCK - 1}`);
}

export interface RunningApp {
  pid: number;
  url: string;
  port: number;
  databaseUrl: string;
  env: Record<string, string>;
  output(): string;
  api<T = any>(method: string, p: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: T; text: string }>;
  /** Graceful stop (SIGTERM) and wait for exit. */
  stop(): Promise<number | null>;
  kill(): Promise<void>;
  exited: Promise<number | null>;
}

export interface StartOptions {
  env?: Record<string, string | undefined>;
  databaseUrl?: string;
  waitForHealth?: boolean;
}

/**
 * Starts the built app (dist/main.js) as a child process on a free port, on its own database unless one is given.
 * Another process can take the port between `freePort()` and the app's bind (jest runs suites in parallel), so the
 * app is known to be up only when /health answers with this child's INSTANCE_ID; a lost race is retried on a new port.
 */
export async function startApp(opts: StartOptions = {}): Promise<RunningApp> {
  const databaseUrl = opts.databaseUrl ?? (await freshDatabase());
  for (let attempt = 1; ; attempt++) {
    const result = await spawnApp(databaseUrl, opts);
    if (result !== 'port taken') return result;
    if (attempt >= 5) throw new Error('app could not bind a free port in 5 attempts');
  }
}

async function spawnApp(databaseUrl: string, opts: StartOptions): Promise<RunningApp | 'port taken'> {
  const port = await freePort();
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    PORT: String(port),
    DATABASE_URL: databaseUrl,
    ADMIN_API_TOKEN: ADMIN_TOKEN,
    LOG_LEVEL: 'warn',
    DISPATCH_INTERVAL_MS: '100',
    INSTANCE_ID: `test-${randomBytes(6).toString('hex')}`,
  };
  for (const [k, v] of Object.entries(opts.env ?? {})) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  const child: ChildProcess = spawn(process.execPath, [...NODE_FLAGS, path.join(ROOT, 'dist/main.js')], { cwd: os.tmpdir(), env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  let stopping = false;
  let healthy = false;
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code, signal) => {
      // An app that dies on its own mid-test frees its port for another suite's app; say so, with its last words.
      if (healthy && !stopping) process.stderr.write(`\n[test app ${env.INSTANCE_ID} on port ${port} exited by itself: code ${code} signal ${signal}]\n${out.slice(-4000)}\n`);
      resolve(code);
    }),
  );
  const url = `http://127.0.0.1:${port}`;
  const app: RunningApp = {
    pid: child.pid!,
    url,
    port,
    databaseUrl,
    env,
    output: () => out,
    exited,
    async api(method, p, body, headers = {}) {
      const res = await fetch(url + p, {
        method,
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await res.text();
      let parsed: any = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        /* not JSON */
      }
      return { status: res.status, body: parsed, text };
    },
    async stop() {
      stopping = true;
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
    async kill() {
      stopping = true;
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
  if (opts.waitForHealth !== false) {
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (child.exitCode !== null) {
        if (out.includes('EADDRINUSE')) return 'port taken';
        throw new Error(`app exited with ${child.exitCode}:\n${out}`);
      }
      try {
        const r = await fetch(`${url}/health`);
        const health = (await r.json().catch(() => ({}))) as { instance?: string };
        if (health.instance !== undefined && health.instance !== env.INSTANCE_ID) {
          stopping = true;
          child.kill('SIGKILL');
          await exited;
          return 'port taken';
        }
        if (r.status === 200) {
          healthy = true;
          break;
        }
      } catch {
        /* not up yet */
      }
      if (Date.now() > deadline) {
        stopping = true;
        child.kill('SIGKILL');
        throw new Error(`app did not become healthy:\n${out}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return app;
}

export async function waitFor<T>(fn: () => Promise<T | undefined | null | false> | T | undefined | null | false, timeoutMs = 15_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v as T;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Runs a Node script of the built app (CLI) to completion. */
export function runNode(args: string[], env: Record<string, string | undefined>, cwd = ROOT): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env } as NodeJS.ProcessEnv });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}
