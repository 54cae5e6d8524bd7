/**
 * `npm run bench [-- --quick] [--only=footprint,render,slack,slack-split,candidates,candidates-split,candidates-sqlite,reminders] [--db=mysql|sqlite] [--profile] [--email-batch=N]`
 * Measures every figure of SPEC §6, prints each beside its target and writes the same as JSON
 * (bench/results.json for a full run; dist/.bench/results.quick.json with --quick).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Figure, log, MYSQL_BASE, quietMachine, referenceWorkMs, REPO } from './lib';
import { analyseProfiles, printProfile, profileFiles, ProfileTop } from './profile';
import { candidates } from './scenarios/candidates';
import { footprint } from './scenarios/footprint';
import { reminders } from './scenarios/reminders';
import { render } from './scenarios/render';
import { slackAck } from './scenarios/slack';
import type { Db } from './world';

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(`--${name}`);
const value = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const quick = flag('quick');
const profile = flag('profile');
if (profile) process.env.BENCH_PROFILE = '1';
const db = (value('db') ?? 'mysql') as Db;
/** EMAIL_BATCH_SIZE of the reminder run's app instances (1: one SendGrid request per email, the app's default). */
const emailBatch = value('email-batch') ?? '50';
const ALL = ['footprint', 'render', 'slack', 'slack-split', 'candidates', 'candidates-split', 'candidates-sqlite', 'reminders'];
const only = value('only')?.split(',') ?? ALL;
const out = value('out') ?? (quick ? path.join(REPO, 'dist/.bench/results.quick.json') : path.join(REPO, 'bench/results.json'));

function median(xs: number[]): number | null {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : null;
}

function table(figures: Figure[]): string {
  const rows = figures.map((f) => [f.figure, f.measured === null ? '—' : `${f.measured}${f.unit ? ' ' + f.unit : ''}`, f.target, f.pass === null ? 'info' : f.pass ? 'pass' : 'MISS']);
  const head = ['figure', 'measured', 'target', 'pass/miss'];
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(w[i])).join(' · ');
  return [line(head), w.map((n) => '-'.repeat(n)).join('-·-'), ...rows.map(line)].join('\n');
}

/** test/support/app.ts starts `<its root>/dist/main.js`; compiled here its root is dist/.bench, so point that at dist/. */
function linkBuiltApp() {
  const link = path.join(REPO, 'dist/.bench/dist');
  if (!fs.existsSync(path.join(link, 'main.js'))) {
    fs.rmSync(link, { force: true, recursive: false });
    fs.symlinkSync('..', link);
  }
}

/** MariaDB is shared with other test runs (fault tests stop it); wait until it answers. */
async function mysqlUp() {
  const { createConnection } = await import('mysql2/promise');
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      const c = await createConnection({ uri: MYSQL_BASE.replace(/\/[^/]*$/, '/') });
      await c.end();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      log('waiting for MariaDB on 127.0.0.1:3306 …');
      await new Promise((r) => setTimeout(r, 3000));
    }
  }
}

async function main() {
  linkBuiltApp();
  const started = Date.now();
  const figures: Figure[] = [];
  const raw: Record<string, unknown> = {};
  const profiles: Record<string, ProfileTop | null> = {};
  /** referenceWorkMs before each scenario: how fast the machine was during this run. */
  const references: number[] = [];
  const profDir = (name: string) => path.join(os.tmpdir(), `kallelse-bench-prof-${process.pid}`, name);
  const appNodeOptions = [profile ? `--require ${path.join(__dirname, 'cpu-prof-preload.js')}` : '', process.env.BENCH_APP_NODE_OPTIONS ?? ''].filter(Boolean).join(' ');
  const profEnv = (name: string) => ({ ...(appNodeOptions ? { NODE_OPTIONS: appNodeOptions } : {}), ...(profile ? { BENCH_CPU_PROF_DIR: profDir(name) } : {}) });
  const scenarios: Record<string, () => Promise<{ figures: Figure[]; raw: any }>> = {
    footprint: () => footprint({ quick }),
    render: () => render({ quick }),
    slack: () => slackAck({ quick, db, appEnv: profEnv('slack') }),
    'slack-split': () => slackAck({ quick, db, appEnv: profEnv('slack-split'), split: true }),
    candidates: () => candidates({ quick, db, appEnv: profEnv('candidates') }),
    'candidates-split': () => candidates({ quick, db, appEnv: profEnv('candidates-split'), split: true }),
    // The embedded default: one instance on SQLite (the same scenario, only the database differs).
    'candidates-sqlite': () => candidates({ quick, db: db === 'sqlite' ? 'mysql' : 'sqlite', appEnv: profEnv('candidates-sqlite'), label: db === 'sqlite' ? 'MariaDB' : 'SQLite, the embedded default' }),
    reminders: () => reminders({ quick, appEnv: { ...profEnv('reminders'), EMAIL_BATCH_SIZE: emailBatch }, skipBullmq: flag('no-bullmq') }),
  };
  for (const name of only) {
    const fn = scenarios[name];
    if (!fn) throw new Error(`unknown scenario ${name}; one of ${ALL.join(', ')}`);
    const t = Date.now();
    if (name !== 'render') await mysqlUp();
    const quiet = await quietMachine();
    raw[`${name}.quietWait`] = quiet;
    const loadBefore = os.loadavg()[0];
    const reference = referenceWorkMs();
    raw[`${name}.referenceWorkMs`] = reference;
    references.push(reference);
    log(`== ${name}${quick ? ' (quick)' : ''} (load average ${loadBefore.toFixed(2)} on ${os.cpus().length} CPUs; waited ${(quiet.waitedMs / 1000).toFixed(0)} s for the machine to be quiet: ${Math.round(quiet.busy * 100)} % busy, ${Math.round(quiet.steal * 100)} % stolen by the hypervisor; reference work ${reference} ms)`);
    try {
      let r;
      try {
        r = await fn();
      } catch (err) {
        // MariaDB is shared with other test runs (fault tests stop and restart it): wait and run the scenario again, once.
        if (!/ECONNREFUSED|PROTOCOL_CONNECTION_LOST|ER_SERVER_SHUTDOWN|Connection lost/.test(String((err as Error)?.message ?? err))) throw err;
        log(`${name}: MariaDB went away mid-run (${(err as Error).message}); running it again`);
        raw[`${name}.restarted`] = String((err as Error).message);
        await mysqlUp();
        r = await fn();
      }
      figures.push(...r.figures);
      raw[name] = r.raw;
      for (const f of r.figures) log(`${f.figure}: ${f.measured} ${f.unit} (target ${f.target}) ${f.pass === null ? '' : f.pass ? 'pass' : 'MISS'}`);
    } catch (err) {
      log(`${name} failed: ${(err as Error).stack}`);
      figures.push({ id: `${name}.error`, figure: `${name} scenario`, measured: `error: ${(err as Error).message.slice(0, 200)}`, unit: '', target: 'runs', pass: false });
    }
    raw[`${name}.seconds`] = Math.round((Date.now() - t) / 1000);
    raw[`${name}.loadAverage`] = { before: Math.round(loadBefore * 100) / 100, after: Math.round(os.loadavg()[0] * 100) / 100 };
    if (profile) {
      const files = profileFiles(profDir(name));
      if (name.startsWith('candidates')) {
        // The app (the web instance when split) has three windows in this order; a worker, the two answer windows.
        const byPid = new Map<string, string[]>();
        for (const f of files) byPid.set(path.basename(f).split('-')[1], [...(byPid.get(path.basename(f).split('-')[1]) ?? []), f]);
        const [app, ...workers] = [...byPid.values()];
        ['bulk invitation', 'answers: link POST', 'answers: inbound SMS'].forEach((label, i) => (profiles[`${name} / ${label}`] = analyseProfiles((app ?? []).slice(i, i + 1))));
        for (const w of workers) ['answers: link POST', 'answers: inbound SMS'].forEach((label, i) => (profiles[`${name} / worker / ${label}`] = analyseProfiles(w.slice(i, i + 1))));
      } else profiles[name] = analyseProfiles(files);
      if (name === 'reminders') profiles['reminders / BullMQ workers'] = analyseProfiles(profileFiles(path.join(profDir(name), 'bullmq')));
    }
  }
  const result = {
    generatedAt: new Date().toISOString(),
    mode: quick ? 'quick' : 'full',
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memGb: Math.round(os.totalmem() / 2 ** 30), node: process.version, database: db, referenceWorkMs: median(references) },
    durationSeconds: Math.round((Date.now() - started) / 1000),
    figures,
    details: raw,
    ...(profile ? { profiles } : {}),
  };
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, JSON.stringify(result, null, 2) + '\n');
  process.stdout.write(`\nKallelse bench (${result.mode}, ${result.machine.cpus} CPUs, Node ${process.version}, ${result.durationSeconds} s, reference work ${result.machine.referenceWorkMs} ms)\n\n${table(figures)}\n`);
  for (const f of figures) if (f.note) process.stdout.write(`\n  ${f.id}: ${f.note}`);
  process.stdout.write(`\n\nwritten: ${path.relative(REPO, out)}\n`);
  for (const [name, p] of Object.entries(profiles)) printProfile(name, p);
  process.exit(0);
}

main().catch((e) => {
  process.stderr.write(String(e?.stack ?? e) + '\n');
  process.exit(1);
});
