/**
 * §6 reminder run: N due email reminders, 3 app instances on one MariaDB (CLOCK=manual), clocks set past the due
 * time → time until all N are handed to the SendGrid stand-in; duplicates, misses, rate seen. Then the same N sends
 * through BullMQ on the local Redis (3 worker processes), and an SMS rate check against the Twilio stand-in.
 */
import * as path from 'node:path';
import { Queue } from 'bullmq';
import { DateTime } from 'luxon';
import { createConnection } from 'mysql2/promise';
import { LANGUAGES } from '../../src/common/domain';
import { RunningApp, startApp } from '../../test/support/app';
import { CpuMeter, fig, Figure, log, peakRate, pidForPort, pidsByName, pool, runChild, sleep, toggleProfile, waitUntil } from '../lib';
import { api, appEnv, dbQuery, dropDatabase, newDatabase, startStandins, stopStandins, Stands } from '../world';

const RECRUITER = 'U0REMIND01';
const PER_INTERVIEW = 5000;
const ZONE = 'Europe/Stockholm';

async function insertCandidates(databaseUrl: string, projectId: number, n: number, tag: string, withMobile: boolean): Promise<number[]> {
  const conn = await createConnection({ uri: databaseUrl });
  try {
    const ids: number[] = [];
    for (let off = 0; off < n; off += 5000) {
      const m = Math.min(5000, n - off);
      const rows: unknown[][] = [];
      for (let i = off; i < off + m; i++) {
        rows.push([`Kand${i}`, 'Lindqvist', `${tag}${i}@example.com`, withMobile ? `+4676${String(i).padStart(7, '0')}` : null, LANGUAGES[i % LANGUAGES.length], new Date()]);
      }
      await conn.query('INSERT INTO candidates (firstName, lastName, email, mobile, language, createdAt) VALUES ?', [rows]);
      const [cands] = await conn.query('SELECT id FROM candidates WHERE email LIKE ? ORDER BY id', [`${tag}%`]);
      const have = new Set(ids);
      const fresh = (cands as { id: number }[]).map((c) => c.id).filter((id) => !have.has(id));
      const now = new Date();
      await conn.query('INSERT INTO applications (projectId, candidateId, status, createdAt, updatedAt) VALUES ?', [fresh.map((cid) => [projectId, cid, 'active', now, now])]);
      ids.push(...fresh);
    }
    const [apps] = await conn.query('SELECT a.id FROM applications a JOIN candidates c ON c.id = a.candidateId WHERE c.email LIKE ? ORDER BY a.id', [`${tag}%`]);
    return (apps as { id: number }[]).map((a) => a.id);
  } finally {
    await conn.end();
  }
}

async function setClocks(apps: RunningApp[], iso: string) {
  await Promise.all(apps.map((a) => api(a, 'PUT', '/api/clock', { now: iso })));
}

export async function reminders(opts: { quick: boolean; appEnv?: Record<string, string | undefined>; skipBullmq?: boolean; skipSms?: boolean }): Promise<{ figures: Figure[]; raw: any }> {
  const N = opts.quick ? 10_000 : 100_000;
  const s = await startStandins();
  const db = await newDatabase('mysql');
  const figures: Figure[] = [];
  const raw: any = { n: N };
  const env = (i: number) => appEnv(s, { CLOCK: 'manual', INSTANCE_ID: `bench-${'abc'[i]}`, SMS_PER_SECOND: '10', ...opts.appEnv });
  const first = await startApp({ databaseUrl: db, env: env(0) });
  const apps = [first, ...(await Promise.all([1, 2].map((i) => startApp({ databaseUrl: db, env: env(i) }))))];
  let stopped = false;
  const stopApps = async () => {
    if (stopped) return;
    stopped = true;
    await Promise.all(apps.map((a) => a.stop()));
  };
  try {
    await api(first, 'POST', '/api/recruiters', { slackUserId: RECRUITER, name: 'Rita Rekryterare', email: 'rita@example.com', smsAccess: true });
    const p = await api(first, 'POST', '/api/projects', { title: 'Sommarjobb 2030', slackChannelId: 'C0HIRING1', defaultLanguage: 'sv', senderEmail: 'jobs@example.com' });
    let t = performance.now();
    const appIds = await insertCandidates(db, p.id, N, 'rem', false);
    log(`reminders: ${appIds.length} candidates + applications inserted (SQL) in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    const day = DateTime.now().setZone(ZONE).plus({ days: 10 }).startOf('day');
    const date = day.toISODate()!;
    const chunks: number[][] = [];
    for (let i = 0; i < appIds.length; i += PER_INTERVIEW) chunks.push(appIds.slice(i, i + PER_INTERVIEW));
    t = performance.now();
    await pool(chunks, 3, (ids, i) => api(apps[i % 3], 'POST', '/api/interviews', { projectId: p.id, applicationIds: ids, type: 'info_meeting', date, time: '10:00', createdBy: RECRUITER, sendEmail: false, reminder: { option: 'email', days: 1 } }));
    const createS = (performance.now() - t) / 1000;
    log(`reminders: ${chunks.length} interviews × ≤${PER_INTERVIEW} via POST /api/interviews in ${createS.toFixed(1)} s`);
    const scheduled = Number((await dbQuery(db, "SELECT COUNT(*) AS n FROM outbox WHERE kind = 'reminder.email' AND state = 'scheduled'"))[0].n);
    if (scheduled !== N) throw new Error(`expected ${N} scheduled reminders, found ${scheduled}`);
    // Let the Slack cards of the new interviews go out first, so that only reminders are in the measured window.
    await waitUntil(async () => Number((await dbQuery(db, "SELECT COUNT(*) AS n FROM outbox WHERE kind NOT LIKE 'reminder.%' AND state = 'scheduled'"))[0].n) === 0, 120_000, 'Slack cards to go out', 500);
    s.mail.reset();

    // All clocks past the due time (09:00 the day before), as the reminder morning arrives.
    const due = day.minus({ days: 1 }).set({ hour: 9, minute: 0, second: 2 });
    const appPids = apps.map((a) => pidForPort(a.port)).filter((p): p is number => p !== null);
    const cpu = new CpuMeter(() => ({ 'app instances': appPids, mariadbd: pidsByName('mariadbd'), 'redis-server': pidsByName('redis-server') }));
    toggleProfile(apps.map((a) => a.port));
    cpu.start();
    const t0 = Date.now();
    await setClocks(apps, due.toISO()!);
    let lastLog = Date.now();
    await waitUntil(
      () => {
        const d = s.mail.distinct;
        if (Date.now() - lastLog > 10_000) {
          lastLog = Date.now();
          log(`reminders: ${d}/${N} handed over after ${((Date.now() - t0) / 1000).toFixed(0)} s`);
        }
        return d >= N;
      },
      opts.quick ? 300_000 : 600_000,
      `${N} reminders at the stand-in`,
      10,
    ).catch((e) => log(String(e)));
    const cpuSecondsUsed = cpu.stop();
    toggleProfile(apps.map((a) => a.port));
    const allAt = Math.max(...s.mail.arrivals);
    const elapsed = (allAt - t0) / 1000;
    await sleep(3000);
    s.mail.drain();
    const received = s.mail.distinct;
    const dups = s.mail.duplicates;
    const states = await dbQuery(db, "SELECT state, COUNT(*) AS n FROM outbox WHERE kind = 'reminder.email' GROUP BY state");
    const rate = peakRate(s.mail.arrivals);
    const missed = N - received;
    const warnings = apps.flatMap((a) => a.output().split('\n').filter((l) => /"level":"(warn|error)"/.test(l)));
    raw.app = { seconds: elapsed, received, duplicates: dups, missed, states, warnings: warnings.length, firstWarnings: warnings.slice(0, 10).map((l) => l.slice(0, 400)), rejected: s.mail.rejected, lastRejection: s.mail.lastError, peakPerSecond: rate.peakPerWindow, avgPerSecond: rate.avgPerSecond, createSeconds: createS, cpuSeconds: cpuSecondsUsed };
    log(`reminders: CPU seconds during the app run: ${JSON.stringify(cpuSecondsUsed)}`);
    log(`reminders: app ${elapsed.toFixed(1)} s, received ${received}, dups ${dups}, states ${JSON.stringify(states)}`);
    const batchSize = opts.appEnv?.EMAIL_BATCH_SIZE ?? '1';
    raw.app.emailBatchSize = Number(batchSize);
    raw.app.requests = s.mail.accepted;
    const note = `${N} due email reminders, 3 instances on one MariaDB, rows created by POST /api/interviews (${chunks.length} × ${PER_INTERVIEW}), EMAIL_BATCH_SIZE=${batchSize}: ${s.mail.accepted.toLocaleString('en')} SendGrid requests (personalizations with substitutions), DISPATCH_BATCH_SIZE/INTERVAL at defaults; CPU seconds in the window: ${JSON.stringify(cpuSecondsUsed)}`;
    figures.push(
      fig('reminders.app.seconds', `Reminder run: ${N.toLocaleString('en')} due, 3 instances (EMAIL_BATCH_SIZE=${batchSize}) → all handed over`, received >= N ? elapsed : `incomplete: ${received}/${N} after ${elapsed.toFixed(0)} s`, 's', N === 100_000 ? '≤ 60 s' : '≤ 6 s (60 s per 100k)', received >= N && elapsed <= (60 * N) / 100_000, note),
      fig('reminders.app.duplicates', 'Reminder run duplicates (same outbox id twice at the stand-in)', dups, '', '0', dups === 0, warnings.length ? `the instances logged ${warnings.length} warnings; first: ${warnings[0].slice(0, 300)}` : 'the instances logged no warnings'),
      fig('reminders.app.missed', 'Reminder run missed (never handed over)', missed, '', '0', missed === 0, `outbox states after: ${JSON.stringify(states)}`),
      fig('reminders.app.rate', 'Reminder run rate seen by the SendGrid stand-in', `${Math.round(rate.avgPerSecond)} avg / ${rate.peakPerWindow} peak per s`, '', 'reported (the stand-in enforces no email rate limit)', null, `429s answered by the stand-in: 0 (none scripted); rejected ${s.mail.rejected}`),
    );

    // SMS rate check: SMS_PER_SECOND=10 on each of the 3 instances vs what the Twilio stand-in sees.
    if (!opts.skipSms) {
      const M = opts.quick ? 120 : 300;
      const smsApps = await insertCandidates(db, p.id, M, 'sms', true);
      const smsDay = day.plus({ days: 3 });
      await api(first, 'POST', '/api/interviews', { projectId: p.id, applicationIds: smsApps, type: 'phone', date: smsDay.toISODate(), time: '10:00', createdBy: RECRUITER, sendEmail: false, reminder: { option: 'sms', days: 1 } });
      await waitUntil(async () => Number((await dbQuery(db, "SELECT COUNT(*) AS n FROM outbox WHERE kind NOT LIKE 'reminder.%' AND state = 'scheduled'"))[0].n) === 0, 60_000, 'Slack cards', 500);
      s.twilio.reset();
      const ts0 = Date.now();
      await setClocks(apps, smsDay.minus({ days: 1 }).set({ hour: 9, minute: 0, second: 2 }).toISO()!);
      await waitUntil(() => s.twilio.calls.filter((c) => c.status === 201).length >= M, 120_000, `${M} SMS`, 50).catch((e) => log(String(e)));
      const smsTimes = s.twilio.calls.filter((c) => c.status === 201).map((c) => c.at);
      const sr = peakRate(smsTimes);
      const smsSeconds = (Math.max(...smsTimes) - ts0) / 1000;
      raw.sms = { n: M, delivered: smsTimes.length, seconds: smsSeconds, peakPerSecond: sr.peakPerWindow, avgPerSecond: sr.avgPerSecond };
      figures.push(fig('reminders.sms.rate', 'SMS reminders: peak rate at the Twilio stand-in (SMS_PER_SECOND=10, 3 instances)', sr.peakPerWindow, 'SMS/s', '≤ 10/s (the configured provider limit)', sr.peakPerWindow <= 10, `${smsTimes.length}/${M} SMS in ${smsSeconds.toFixed(1)} s, avg ${sr.avgPerSecond.toFixed(1)}/s — one send-slot row shared by the instances`));
    }

    // The same N sends through BullMQ (3 worker processes) on the local Redis.
    const jobsData = await dbQuery(
      db,
      "SELECT o.id AS outboxId, o.payload, c.email, c.firstName, c.lastName, c.language, iv.startsAt FROM outbox o JOIN invitations i ON i.id = o.invitationId JOIN candidates c ON c.id = i.candidateId JOIN interviews iv ON iv.id = o.interviewId WHERE o.kind = 'reminder.email' ORDER BY o.id",
    );
    await stopApps();
    if (!opts.skipBullmq) raw.bullmq = await bullmqRun(s, jobsData, N, figures, elapsed, received >= N, profilerEnv(opts.appEnv, 'bullmq'));
    return { figures, raw };
  } finally {
    await stopApps();
    await stopStandins(s);
    await dropDatabase(db);
  }
}

/** The app's profiler preload (bench --profile) for the BullMQ workers, writing to a subfolder of the app's. */
function profilerEnv(appEnv: Record<string, string | undefined> | undefined, sub: string): Record<string, string> {
  if (!appEnv?.BENCH_CPU_PROF_DIR || !appEnv.NODE_OPTIONS) return {};
  return { NODE_OPTIONS: appEnv.NODE_OPTIONS, BENCH_CPU_PROF_DIR: path.join(appEnv.BENCH_CPU_PROF_DIR, sub) };
}

async function bullmqRun(s: Stands, jobsData: any[], N: number, figures: Figure[], appSeconds: number, appComplete: boolean, workerEnv: Record<string, string>) {
  const name = `kallelse-bench-${Date.now().toString(36)}`;
  const connection = { host: '127.0.0.1', port: 6379, maxRetriesPerRequest: null };
  const queue = new Queue(name, { connection });
  const workers: ReturnType<typeof runChild>[] = [];
  try {
    await queue.pause();
    const t = performance.now();
    for (let i = 0; i < jobsData.length; i += 1000) {
      await queue.addBulk(
        jobsData.slice(i, i + 1000).map((r) => ({
          name: 'reminder',
          data: { outboxId: r.outboxId, email: r.email, firstName: r.firstName, lastName: r.lastName, language: r.language, startsAt: new Date(r.startsAt).toISOString(), token: JSON.parse(r.payload).token },
          opts: { jobId: `reminder-${r.outboxId}`, removeOnComplete: true, attempts: 5, backoff: { type: 'exponential', delay: 1000 } },
        })),
      );
    }
    log(`bullmq: ${jobsData.length} jobs added in ${((performance.now() - t) / 1000).toFixed(1)} s (queue paused)`);
    for (let i = 0; i < 3; i++) workers.push(runChild(path.join(__dirname, '../bullmq-worker.js'), [], { QUEUE: name, SENDGRID_API_URL: s.mail.url, SENDGRID_API_KEY: 'SG.test-key', CONCURRENCY: '32', ...workerEnv }));
    await waitUntil(() => workers.every((w) => w.stdout().includes('ready')), 30_000, 'BullMQ workers');
    s.mail.reset();
    const workerPids = workers.map((w) => w.child.pid).filter((p): p is number => p !== undefined);
    const cpu = new CpuMeter(() => ({ 'BullMQ workers': workerPids, mariadbd: pidsByName('mariadbd'), 'redis-server': pidsByName('redis-server') }));
    const profileWorkers = () => workerEnv.BENCH_CPU_PROF_DIR && workerPids.forEach((pid) => process.kill(pid, 'SIGUSR2'));
    profileWorkers();
    cpu.start();
    const t0 = Date.now();
    await queue.resume();
    await waitUntil(() => s.mail.distinct >= N, 600_000, `${N} BullMQ sends`, 10).catch((e) => log(String(e)));
    const cpuSecondsUsed = cpu.stop();
    profileWorkers();
    log(`bullmq: CPU seconds during the run: ${JSON.stringify(cpuSecondsUsed)}`);
    const seconds = (Math.max(...s.mail.arrivals) - t0) / 1000;
    await sleep(2000);
    const received = s.mail.distinct;
    const dups = s.mail.duplicates;
    const rate = peakRate(s.mail.arrivals);
    log(`bullmq: ${seconds.toFixed(1)} s, received ${received}, dups ${dups}`);
    figures.push(
      fig('reminders.bullmq.seconds', `Same ${N.toLocaleString('en')} sends through BullMQ (3 worker processes, concurrency 32)`, received >= N ? seconds : `incomplete ${received}/${N}`, 's', 'app ≤ BullMQ', null, `BullMQ worker renders with the app's renderer and sends with the app's SendGrid transport (the same emails, one request each); it reads/writes no MariaDB rows (the app's dispatcher loads context and records each send); ${Math.round(rate.avgPerSecond)} avg / ${rate.peakPerWindow} peak per s; duplicates ${dups}`),
      fig('reminders.app_vs_bullmq', 'Reminder run: app time / BullMQ time', appComplete && received >= N ? appSeconds / seconds : 'n/a', '×', '≤ 1.0 (at least as fast)', appComplete && received >= N ? appSeconds <= seconds : false, `BullMQ: one job and one SendGrid request per email; CPU seconds in the window: ${JSON.stringify(cpuSecondsUsed)}`),
    );
    return { seconds, received, duplicates: dups, peakPerSecond: rate.peakPerWindow, avgPerSecond: rate.avgPerSecond, cpuSeconds: cpuSecondsUsed };
  } finally {
    for (const w of workers) w.child.kill('SIGTERM');
    await Promise.all(workers.map((w) => w.done));
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
  }
}
