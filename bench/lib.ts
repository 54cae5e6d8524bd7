/** Shared helpers for `npm run bench`: timing, percentiles, a draining SendGrid sink, processes. */
import { createHmac } from 'node:crypto';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { expandPersonalizations, SendgridStandin } from '../test/standins/sendgrid.standin';

/** dist/.bench/bench → repo root */
export const REPO = path.resolve(__dirname, '../../..');
export const MYSQL_BASE = process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/kallelse_bench';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export const now = () => performance.now();

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

export function stats(samples: number[]) {
  const s = [...samples].sort((a, b) => a - b);
  return { n: s.length, p50: percentile(s, 50), p99: percentile(s, 99), max: s.at(-1) ?? NaN, mean: s.reduce((a, b) => a + b, 0) / (s.length || 1) };
}

export const round = (v: number, d = 1) => (Number.isFinite(v) ? Math.round(v * 10 ** d) / 10 ** d : v);

export function log(...args: unknown[]) {
  const t = new Date().toISOString().slice(11, 19);
  process.stderr.write(`[bench ${t}] ${args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ')}\n`);
}

/** Runs `fn` over `items` with at most `n` in flight. */
export async function pool<T, R>(items: T[], n: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i], i);
      }
    }),
  );
  return out;
}

export async function waitUntil(fn: () => boolean | Promise<boolean>, timeoutMs: number, what: string, everyMs = 20): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await fn())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

export interface SinkMail {
  outboxId: string;
  to: string;
  at: number;
  text?: string;
}

/**
 * The repo's SendGrid stand-in (real validation, auth, 202 + X-Message-Id), drained every 50 ms so that
 * 100,000 mails do not pile up in memory: keeps per outbox id how often it arrived, arrival times, and
 * optionally the text part (for confirm links).
 */
export class MailSink {
  readonly counts = new Map<string, number>();
  readonly arrivals: number[] = [];
  readonly kept: SinkMail[] = [];
  /** Accepted Mail Send requests (a batched one carries several emails). */
  accepted = 0;
  rejected = 0;
  lastError: unknown = null;
  private timer: NodeJS.Timeout;

  private constructor(
    readonly standin: SendgridStandin,
    public keepText: boolean,
  ) {
    this.timer = setInterval(() => this.drain(), 50);
  }

  static async start(apiKey: string, keepText = false): Promise<MailSink> {
    return new MailSink(await SendgridStandin.start({ apiKey }), keepText);
  }

  get url() {
    return this.standin.url;
  }

  get distinct() {
    this.drain();
    return this.counts.size;
  }

  get duplicates() {
    this.drain();
    let d = 0;
    for (const c of this.counts.values()) if (c > 1) d += c - 1;
    return d;
  }

  drain() {
    const calls = this.standin.calls.splice(0);
    this.standin.requests.length = 0;
    for (const c of calls) {
      if (c.status !== 202) {
        this.rejected++;
        this.lastError = c.errors;
        continue;
      }
      this.accepted++;
      // One email per personalization (a batched request carries many, each with its own outbox id).
      for (const p of c.body.personalizations ?? []) {
        const id = String(p?.custom_args?.outboxId ?? c.body.custom_args?.outboxId ?? '');
        this.counts.set(id, (this.counts.get(id) ?? 0) + 1);
        this.arrivals.push(c.at);
      }
      if (this.keepText) for (const m of expandPersonalizations(c.body)) this.kept.push({ outboxId: m.customArgs.outboxId, to: m.to[0]?.email, at: c.at, text: m.text });
    }
  }

  reset() {
    this.drain();
    this.counts.clear();
    this.arrivals.length = 0;
    this.kept.length = 0;
    this.accepted = 0;
    this.rejected = 0;
  }

  async close() {
    clearInterval(this.timer);
    await this.standin.close();
  }
}

/** Highest number of events in any window of `windowMs` (sliding), and the average rate over the span. */
export function peakRate(times: number[], windowMs = 1000): { peakPerWindow: number; avgPerSecond: number } {
  const t = [...times].sort((a, b) => a - b);
  let peak = 0;
  let j = 0;
  for (let i = 0; i < t.length; i++) {
    while (t[i] - t[j] >= windowMs) j++;
    peak = Math.max(peak, i - j + 1);
  }
  const span = t.length > 1 ? (t.at(-1)! - t[0]) / 1000 : 0;
  return { peakPerWindow: peak, avgPerSecond: span > 0 ? (t.length - 1) / span : t.length };
}

/** Spawns a Node script and resolves with its exit code; output goes to stderr prefixed. */
export function runChild(script: string, args: string[], env: Record<string, string> = {}): { done: Promise<number | null>; child: ReturnType<typeof spawn>; stdout: () => string } {
  const child = spawn(process.execPath, [script, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => process.stderr.write(d));
  const done = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { done, child, stdout: () => out };
}

export function vmRssMb(pid: number): number {
  const s = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const m = /VmRSS:\s+(\d+)\s+kB/.exec(s);
  return m ? Number(m[1]) / 1024 : NaN;
}

/** pid of the app child process a RunningApp started (found by its PORT env in /proc). */
export function pidForPort(port: number): number | null {
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const env = fs.readFileSync(`/proc/${d}/environ`, 'utf8');
      const cmd = fs.readFileSync(`/proc/${d}/cmdline`, 'utf8');
      if (cmd.includes('dist/main.js') && env.split('\0').includes(`PORT=${port}`)) return Number(d);
    } catch {
      /* gone or not ours */
    }
  }
  return null;
}

export interface Figure {
  id: string;
  figure: string;
  measured: number | string | null;
  unit: string;
  target: string;
  /** true pass, false miss, null informational */
  pass: boolean | null;
  note?: string;
}

export function fig(id: string, figure: string, measured: number | string | null, unit: string, target: string, pass: boolean | null, note?: string): Figure {
  return { id, figure, measured: typeof measured === 'number' ? round(measured, measured < 10 ? 2 : 1) : measured, unit, target, pass, note };
}

/** A scenario's figures from a variant of its set-up: `answers.link.rps` → `answers.<tag>.link.rps`, the label in brackets. */
export function variant(figures: Figure[], tag: string, label: string): Figure[] {
  return figures.map((f) => ({ ...f, id: f.id.replace(/^([a-z]+)\./, `$1.${tag}.`), figure: `${f.figure} [${label}]` }));
}

/** Toggles the sampling profiler of app processes started with the bench's preload (no-op without --profile). */
export function toggleProfile(ports: number[]) {
  if (!process.env.BENCH_PROFILE) return;
  for (const port of ports) {
    const pid = pidForPort(port);
    if (pid) process.kill(pid, 'SIGUSR2');
  }
}

/** CPU seconds (user + system) a process has used so far, from /proc/<pid>/stat; NaN when it is gone. */
export function cpuSeconds(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

/** pids whose executable's name is `name` (mariadbd, redis-server). */
export function pidsByName(name: string): number[] {
  const pids: number[] = [];
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      if (fs.readFileSync(`/proc/${d}/comm`, 'utf8').trim() === name) pids.push(Number(d));
    } catch {
      /* gone */
    }
  }
  return pids;
}

/** CPU used by named groups of processes between start() and stop(): where a run's two cores went. */
export class CpuMeter {
  private readonly before = new Map<string, number>();

  constructor(private readonly groups: () => Record<string, number[]>) {}

  private read(): Map<string, number> {
    const out = new Map<string, number>();
    for (const [name, pids] of Object.entries(this.groups())) out.set(name, pids.reduce((sum, p) => sum + (cpuSeconds(p) || 0), 0));
    const self = process.cpuUsage();
    out.set('bench process (stand-ins)', (self.user + self.system) / 1e6);
    // CPU time the hypervisor gave to other guests while this machine wanted it (USER_HZ = 100 ticks a second).
    out.set('stolen by the hypervisor', procStat().steal / 100);
    return out;
  }

  start(): void {
    this.before.clear();
    for (const [k, v] of this.read()) this.before.set(k, v);
  }

  /** CPU seconds per group since start(). */
  stop(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [k, v] of this.read()) out[k] = round(v - (this.before.get(k) ?? 0), 2);
    return out;
  }
}

/** The machine's CPU ticks so far (all CPUs), from /proc/stat: spent on its own work, stolen by the hypervisor, in all. */
function procStat(): { work: number; steal: number; total: number } {
  const [user, nice, system, idle, iowait, irq, softirq, steal] = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1, 9).map(Number);
  return { work: user + nice + system + irq + softirq, steal, total: user + nice + system + idle + iowait + irq + softirq + steal };
}

/** Over `ms`: the share of all CPUs that processes of this machine used, and the share the hypervisor took (steal). */
async function cpuShares(ms: number): Promise<{ busy: number; steal: number }> {
  const a = procStat();
  await new Promise((r) => setTimeout(r, ms));
  const b = procStat();
  const total = b.total - a.total || 1;
  return { busy: (b.work - a.work) / total, steal: (b.steal - a.steal) / total };
}

/**
 * Waits until the machine is quiet before a scenario: what the last one left running (MariaDB purging the undo of
 * 100,000 updates, processes winding down) would otherwise be measured as the next one's slowness. Gives up after
 * `maxMs`. Also says how much CPU the hypervisor took meanwhile (steal), which no waiting here changes.
 */
export async function quietMachine(maxBusy = 0.2, maxMs = 60_000): Promise<{ waitedMs: number; busy: number; steal: number }> {
  const t0 = Date.now();
  for (;;) {
    const { busy, steal } = await cpuShares(1000);
    if (busy <= maxBusy || Date.now() - t0 >= maxMs) return { waitedMs: Date.now() - t0, busy: Math.round(busy * 100) / 100, steal: Math.round(steal * 100) / 100 };
  }
}

/**
 * Milliseconds this machine takes for a fixed piece of single-threaded work (integer arithmetic, 100,000
 * HMAC-SHA256, JSON round trips), the median of three: the figures of runs on different days are comparable only
 * next to it, since the same machine kind has been seen to run the same code at about half speed on some days.
 */
export function referenceWorkMs(): number {
  const once = () => {
    const t = process.hrtime.bigint();
    let x = 0;
    for (let i = 0; i < 1e8; i++) x = (x * 31 + i) | 0;
    for (let i = 0; i < 100_000; i++) createHmac('sha256', 'k').update(`payload ${i} ${x}`).digest();
    const doc = { id: 1, name: 'Åsa Öberg', answers: Array.from({ length: 50 }, (_, i) => ({ i, at: new Date(i).toISOString() })) };
    for (let i = 0; i < 5_000; i++) JSON.parse(JSON.stringify(doc));
    return Number(process.hrtime.bigint() - t) / 1e6;
  };
  const runs = [once(), once(), once()].sort((a, b) => a - b);
  return Math.round(runs[1]);
}
