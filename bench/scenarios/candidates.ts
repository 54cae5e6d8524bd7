/**
 * §6 bulk invitation (1,000 candidates in 5 languages, POST /api/interviews → 1,000th mail at the SendGrid stand-in)
 * and §6 candidate answers (link POST and signed inbound SMS, autocannon in a child process, one instance).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DateTime } from 'luxon';
import { LANGUAGES } from '../../src/common/domain';
import type { RunningApp } from '../../test/support/app';
import { CpuMeter, variant, fig, Figure, log, MailSink, pidsByName, pool, runChild, toggleProfile, waitUntil } from '../lib';
import { api, Db, dbQuery, dropDatabase, newDatabase, startStandins, startWired, stopStandins, TWILIO_FROM, TWILIO_TOKEN } from '../world';

const RECRUITER = 'U0BULK001';

async function bulkInvite(app: RunningApp, mail: MailSink, projectId: number, ids: number[], date: string) {
  mail.reset();
  toggleProfile([app.port]);
  const t0 = performance.now();
  const iv = await api(app, 'POST', '/api/interviews', { projectId, applicationIds: ids, type: 'video', date, time: '10:00', createdBy: RECRUITER, sendEmail: true, reminder: { option: 'email', days: 2 } });
  const postMs = performance.now() - t0;
  await waitUntil(() => mail.distinct >= ids.length, 120_000, `${ids.length} invitation mails`, 5);
  const totalMs = performance.now() - t0;
  toggleProfile([app.port]);
  return { interviewId: iv.id as number, postMs, totalMs, kept: [...mail.kept], rejected: mail.rejected, duplicates: mail.duplicates };
}

/** Runs the load generator; `alsoProfiled` are the ports of other app processes (a worker) profiled over the same window. */
async function load(cfg: Record<string, unknown>, alsoProfiled: number[] = []): Promise<any> {
  const file = path.join(os.tmpdir(), `kallelse-bench-load-${process.pid}-${Date.now()}.json`);
  fs.writeFileSync(file, JSON.stringify(cfg));
  const c = runChild(path.join(__dirname, '../load.js'), [file], process.env.BENCH_LOAD_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_LOAD_NODE_OPTIONS } : {});
  const ports = [Number(new URL(String(cfg.url)).port), ...alsoProfiled];
  toggleProfile(ports);
  const code = await c.done;
  toggleProfile(ports);
  fs.unlinkSync(file);
  if (code !== 0) throw new Error(`load child exited ${code}`);
  return JSON.parse(c.stdout());
}

export async function candidates(opts: { quick: boolean; db: Db; appEnv?: Record<string, string | undefined>; split?: boolean; label?: string }): Promise<{ figures: Figure[]; raw: any }> {
  const s = await startStandins(true);
  const db = await newDatabase(opts.db);
  const app = await startWired(s, db, { ...opts.appEnv, ...(opts.split ? { ROLE: 'web' } : {}) });
  const worker = opts.split ? await startWired(s, db, { ...opts.appEnv, ROLE: 'worker' }) : null;
  const figures: Figure[] = [];
  const raw: any = {};
  try {
    await api(app, 'POST', '/api/recruiters', { slackUserId: RECRUITER, name: 'Rita Rekryterare', email: 'rita@example.com', smsAccess: true });
    const p = await api(app, 'POST', '/api/projects', { title: 'Backend Engineer Göteborg', slackChannelId: 'C0HIRING1', defaultLanguage: 'sv', senderEmail: 'jobs@example.com' });
    const n = 3000;
    const tApps = performance.now();
    const apps = await pool(Array.from({ length: n }, (_, i) => i), 8, async (i) => {
      const lang = LANGUAGES[i % LANGUAGES.length];
      const a = await api(app, 'POST', `/api/projects/${p.id}/applications`, { firstName: `Kand${i}`, lastName: i % 11 === 0 ? 'Åberg <b>' : 'Lindqvist', email: `kand${i}@example.com`, mobile: `+4673${String(i).padStart(7, '0')}`, language: lang });
      return { id: a.id as number, email: `kand${i}@example.com`, mobile: `+4673${String(i).padStart(7, '0')}` };
    });
    log(`candidates: ${n} applications via API in ${((performance.now() - tApps) / 1000).toFixed(1)} s`);
    const date = DateTime.now().setZone('Europe/Stockholm').plus({ days: 10 }).toISODate()!;
    const bulkSet = apps.slice(0, 1000);
    const linkSet = apps.slice(1000, 2000);
    const smsSet = apps.slice(2000);

    // Warm the invitation path once (JIT, MJML layouts are compiled at start-up) with a small invitation of other candidates? No:
    // the figure is a cold-ish first bulk invitation on a running instance, as a recruiter would see it.
    const a = await bulkInvite(app, s.mail, p.id, bulkSet.map((x) => x.id), date);
    log(`bulk: POST ${a.postMs.toFixed(0)} ms, 1000th mail at ${a.totalMs.toFixed(0)} ms`);
    // The answers go to 2,000 invitations in interviews of 20 candidates (a card per interview is re-rendered on each answer).
    s.mail.reset();
    const answerSet = [...linkSet, ...smsSet];
    const groups: number[][] = [];
    for (let i = 0; i < answerSet.length; i += 20) groups.push(answerSet.slice(i, i + 20).map((x) => x.id));
    await pool(groups, 4, (ids) => api(app, 'POST', '/api/interviews', { projectId: p.id, applicationIds: ids, type: 'phone', date, time: '11:00', createdBy: RECRUITER, sendEmail: true, reminder: { option: 'email', days: 2 } }));
    await waitUntil(() => s.mail.distinct >= answerSet.length, 120_000, 'invitation mails for the answers', 20);
    const b = { kept: [...s.mail.kept], totalMs: NaN, postMs: NaN };
    const langs = new Set((await dbQuery(db, 'SELECT DISTINCT c.language AS l FROM invitations i JOIN candidates c ON c.id = i.candidateId WHERE i.interviewId = ?', [a.interviewId])).map((r: any) => r.l));
    figures.push(
      fig('bulk.total', 'Bulk invitation 1,000 candidates / 5 languages → 1000th mail at stand-in', a.totalMs / 1000, 's', '≤ 3 s', a.totalMs <= 3000, `POST /api/interviews answered in ${(a.postMs / 1000).toFixed(2)} s; languages ${[...langs].join(',')}; ${opts.db}; rejected ${a.rejected}, duplicates ${a.duplicates}`),
    );
    raw.bulk = { first: { postMs: a.postMs, totalMs: a.totalMs, rejected: a.rejected, duplicates: a.duplicates }, languages: [...langs] };

    // Confirm links from the mails; csrf from each page's hidden input.
    const linkByEmail = new Map<string, string>();
    for (const m of [...a.kept, ...b.kept]) {
      const l = /https?:\/\/[^\s"<>]+\/r\/([A-Za-z0-9_-]+)/.exec(m.text ?? '');
      if (l) linkByEmail.set(m.to, l[1]);
    }
    const linkItems = await pool(linkSet, 16, async (x) => {
      const token = linkByEmail.get(x.email);
      if (!token) throw new Error(`no link for ${x.email}`);
      const html = await (await fetch(`${app.url}/r/${token}`)).text();
      const csrf = /name="csrf" value="([^"]+)"/.exec(html)?.[1];
      if (!csrf) throw new Error('no csrf on the page');
      return { token, csrf };
    });
    const cpu = new CpuMeter(() => ({ app: [app.pid], ...(worker ? { worker: [worker.pid] } : {}), mariadbd: pidsByName('mariadbd') }));
    const duration = opts.quick ? 5 : 15;
    const connections = 32;
    const before = async (ch: string) => Number((await dbQuery(db, 'SELECT COUNT(*) AS n FROM invitation_events WHERE channel = ?', [ch]))[0].n);
    const linkBefore = await before('link');
    log(`answers: link POST, ${linkItems.length} invitations, ${connections} connections, ${duration} s`);
    const slackCalls = (from: number) => {
      const by: Record<string, number> = {};
      for (const c of s.slack.calls.slice(from)) by[c.method] = (by[c.method] ?? 0) + 1;
      return by;
    };
    let callsFrom = s.slack.calls.length;
    cpu.start();
    const link = await load({ url: app.url, mode: 'link', items: linkItems, answers: ['yes', 'new_time', 'no'], duration, connections }, worker ? [worker.port] : []);
    raw.linkCpuSeconds = cpu.stop();
    raw.linkSlackCalls = slackCalls(callsFrom);
    log(`answers: link POST, CPU seconds in the window: ${JSON.stringify(raw.linkCpuSeconds)}; Slack calls: ${JSON.stringify(raw.linkSlackCalls)}`);
    const linkEvents = (await before('link')) - linkBefore;
    const linkOk = (link.codes['200'] ?? 0) === link.requests && link.errors === 0;
    figures.push(
      fig('answers.link.rps', 'Candidate answers, link POST, throughput', link.rps, 'req/s', '≥ 1000/s', link.rps >= 1000, `${link.requests} requests over ${linkItems.length} invitations (interviews of 20), answers yes→new_time→no cycling; codes ${JSON.stringify(link.codes)}; errors ${link.errors}; answers stored ${linkEvents}`),
      fig('answers.link.p99', 'Candidate answers, link POST, p99', link.latency.p99, 'ms', '≤ 50 ms', link.latency.p99 <= 50, `p50 ${link.latency.p50} ms, ${connections} connections`),
      fig('answers.link.codes', 'Link POST status codes all 200', linkOk ? 'all 200' : JSON.stringify(link.codes), '', 'all 200', linkOk),
    );
    raw.link = { ...link, answersStored: linkEvents };

    // SMS: candidates of the second invitation answer by SMS (JA/NY/YES/NEW keep the invitation open, so every SMS is a real answer).
    const smsBefore = await before('sms');
    log(`answers: inbound SMS, ${smsSet.length} numbers, ${connections} connections, ${duration} s`);
    callsFrom = s.slack.calls.length;
    cpu.start();
    const sms = await load({ url: app.url, mode: 'sms', items: smsSet.map((x) => ({ from: x.mobile })), answers: ['JA', 'NY', 'YES', 'NEW'], duration, connections, twilioToken: TWILIO_TOKEN, publicBaseUrl: `http://localhost:${app.port}`, to: TWILIO_FROM }, worker ? [worker.port] : []);
    raw.smsCpuSeconds = cpu.stop();
    raw.smsSlackCalls = slackCalls(callsFrom);
    log(`answers: inbound SMS, CPU seconds in the window: ${JSON.stringify(raw.smsCpuSeconds)}; Slack calls: ${JSON.stringify(raw.smsSlackCalls)}`);
    const smsEvents = (await before('sms')) - smsBefore;
    const smsOk = (sms.codes['200'] ?? 0) === sms.requests && sms.errors === 0;
    figures.push(
      fig('answers.sms.rps', 'Candidate answers, inbound SMS (signed), throughput', sms.rps, 'req/s', '≥ 1000/s', sms.rps >= 1000, `${sms.requests} requests over ${smsSet.length} numbers (interviews of 20), JA→NY→YES→NEW cycling; codes ${JSON.stringify(sms.codes)}; errors ${sms.errors}; answers stored ${smsEvents}; replies ${JSON.stringify(sms.replies)}`),
      fig('answers.sms.p99', 'Candidate answers, inbound SMS, p99', sms.latency.p99, 'ms', '≤ 50 ms', sms.latency.p99 <= 50, `p50 ${sms.latency.p50} ms, ${connections} connections`),
      fig('answers.sms.codes', 'Inbound SMS status codes all 200', smsOk ? 'all 200' : JSON.stringify(sms.codes), '', 'all 200', smsOk),
    );
    raw.sms = { ...sms, answersStored: smsEvents };
    return { figures: opts.split ? variant(figures, 'split', 'ROLE=web + ROLE=worker') : opts.label ? variant(figures, opts.db, opts.label) : figures, raw };
  } finally {
    await worker?.stop();
    await app.stop();
    await stopStandins(s);
    await dropDatabase(db);
  }
}
