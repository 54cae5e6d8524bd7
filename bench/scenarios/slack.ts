/** §6 Slack acknowledgement: /invite, step-1 view_submission, step-2 submit (stores the invitation); 20 concurrent recruiters. */
import { DateTime } from 'luxon';
import { CpuMeter, variant, fig, Figure, log, pidsByName, pool, sleep, stats, toggleProfile } from '../lib';
import { api, commandBody, Db, dropDatabase, newDatabase, postSlack, startStandins, startWired, stopStandins, Stands, submitBody } from '../world';

const RECRUITERS = 20;

export async function slackAck(opts: { quick: boolean; db: Db; appEnv?: Record<string, string | undefined>; split?: boolean }): Promise<{ figures: Figure[]; raw: any }> {
  const rounds = opts.quick ? 5 : 20;
  const s = await startStandins();
  const db = await newDatabase(opts.db);
  const app = await startWired(s, db, { ...opts.appEnv, ...(opts.split ? { ROLE: 'web' } : {}) });
  const worker = opts.split ? await startWired(s, db, { ...opts.appEnv, ROLE: 'worker' }) : null;
  try {
    const users = Array.from({ length: RECRUITERS }, (_, i) => `U0BENCH${String(i).padStart(3, '0')}`);
    const projects: { id: number; title: string; apps: number[] }[] = [];
    for (const [i, u] of users.entries()) {
      await api(app, 'POST', '/api/recruiters', { slackUserId: u, name: `Recruiter ${i}`, email: `r${i}@example.com`, smsAccess: true });
      const title = `Bench project ${i} Göteborg`;
      const p = await api(app, 'POST', '/api/projects', { title, slackChannelId: 'C0HIRING1', defaultLanguage: 'sv', senderEmail: 'jobs@example.com' });
      const apps: number[] = [];
      for (let c = 0; c < 3; c++) {
        const a = await api(app, 'POST', `/api/projects/${p.id}/applications`, { firstName: `Anna${c}`, lastName: `Lind${i}`, email: `anna${c}.lind${i}@example.com`, mobile: `+4670${String(i * 10 + c).padStart(7, '0')}`, language: c === 1 ? 'en' : 'sv' });
        apps.push(a.id);
      }
      projects.push({ id: p.id, title, apps });
    }
    // Views the app opened, by trigger id (scanned from the Slack stand-in's call log).
    const views = new Map<string, any>();
    let scanned = 0;
    const scan = setInterval(() => {
      const calls = s.slack.calls;
      for (; scanned < calls.length; scanned++) {
        const c = calls[scanned];
        if (c.ok && c.method === 'views.open') views.set(c.args.trigger_id, c.response.view);
      }
    }, 5);
    const waitView = async (trigger: string) => {
      const deadline = Date.now() + 10_000;
      while (!views.has(trigger)) {
        if (Date.now() > deadline) throw new Error(`no views.open for ${trigger}`);
        await sleep(5);
      }
      const v = views.get(trigger);
      views.delete(trigger);
      return v;
    };
    const date = DateTime.now().setZone('Europe/Stockholm').plus({ days: 10 }).toISODate()!;
    const lat = { invite: [] as number[], step1: [] as number[], step2: [] as number[] };
    const server = { invite: [] as number[], step1: [] as number[], step2: [] as number[] };
    const bad: string[] = [];
    // warm-up: one flow per recruiter, not measured
    const flow = async (i: number, round: number, record: boolean) => {
      const u = users[i];
      const p = projects[i];
      const trigger = `trig.${i}.${round}.${Math.random().toString(36).slice(2)}`;
      const cmd = await postSlack(app, commandBody(s, '/invite', u, p.title, trigger));
      if (cmd.status !== 200) bad.push(`/invite ${cmd.status}`);
      const view1 = await waitView(trigger);
      const cand = view1.blocks.find((b: any) => String(b.block_id).startsWith('candidates'));
      const s1 = await postSlack(app, submitBody(view1, u, { [cand.block_id]: p.apps.map(String), type: 'phone', date, time: `${String(8 + (round % 9)).padStart(2, '0')}:00` }));
      if (s1.json?.response_action !== 'update') {
        bad.push(`step1 ${s1.status} ${s1.text.slice(0, 200)}`);
        return;
      }
      const s2 = await postSlack(app, submitBody(s1.json.view, u, { reminder_option: 'email', reminder_days: '2' }));
      if (s2.json?.response_action !== 'clear') bad.push(`step2 ${s2.status} ${s2.text.slice(0, 200)}`);
      if (record) {
        lat.invite.push(cmd.ms);
        lat.step1.push(s1.ms);
        lat.step2.push(s2.ms);
        server.invite.push(cmd.serverMs);
        server.step1.push(s1.serverMs);
        server.step2.push(s2.serverMs);
      }
    };
    await pool(users.map((_, i) => i), RECRUITERS, (i) => flow(i, 0, false));
    log(`slack: warm-up done; ${rounds} rounds × ${RECRUITERS} concurrent recruiters`);
    toggleProfile([app.port]);
    const cpu = new CpuMeter(() => ({ app: [app.pid], ...(worker ? { worker: [worker.pid] } : {}), mariadbd: pidsByName('mariadbd') }));
    cpu.start();
    const t0 = Date.now();
    await Promise.all(
      users.map(async (_, i) => {
        for (let r = 1; r <= rounds; r++) await flow(i, r, true);
      }),
    );
    const wall = (Date.now() - t0) / 1000;
    const cpuSeconds = cpu.stop();
    log(`slack: ${lat.invite.length} flows in ${wall.toFixed(1)} s; CPU seconds: ${JSON.stringify(cpuSeconds)}`);
    toggleProfile([app.port]);
    clearInterval(scan);
    const missing = [...server.invite, ...server.step1, ...server.step2].filter((ms) => Number.isNaN(ms)).length;
    const client = { invite: stats(lat.invite), step1: stats(lat.step1), step2: stats(lat.step2) };
    const srv = { invite: stats(server.invite), step1: stats(server.step1), step2: stats(server.step2) };
    const note = `server-side = the app's Server-Timing header (request received → response headers written), as SPEC §6 words it; client-side = the bench's fetch on loopback, in the process that also runs the Slack/SendGrid stand-ins. ${RECRUITERS} concurrent recruiters, each starting the next flow as soon as the last is acknowledged, × ${rounds} flows, signed requests, ${opts.db}${missing ? `; ${missing} responses without Server-Timing` : ''}`;
    const labels = { invite: '/invite', step1: 'modal step 1 submit', step2: 'modal step 2 submit (stores)' } as const;
    const figures: Figure[] = [];
    for (const k of ['invite', 'step1', 'step2'] as const) {
      figures.push(
        fig(`slack.${k}.p50`, `Slack ack ${labels[k]} p50, server-side (client-side ${client[k].p50.toFixed(1)} ms)`, srv[k].p50, 'ms', '—', null, k === 'invite' ? note : undefined),
        fig(`slack.${k}.p99`, `Slack ack ${labels[k]} p99, server-side (client-side ${client[k].p99.toFixed(1)} ms)`, srv[k].p99, 'ms', '≤ 100 ms', missing === 0 && srv[k].p99 <= 100),
      );
    }
    const appErrors = app
      .output()
      .split('\n')
      .filter((l) => /"level":"(error|warn)"|error/i.test(l))
      .map((l) => l.slice(0, 400));
    if (bad.length) figures.push(fig('slack.errors', 'Slack flows not acknowledged / refused', bad.length, 'flows', '0', false, `${bad.slice(0, 2).join(' | ')}; app log: ${appErrors[0] ?? '(nothing logged)'}`));
    return { figures: opts.split ? variant(figures, 'split', 'ROLE=web + ROLE=worker') : figures, raw: { server: srv, client, wallSeconds: wall, cpuSeconds, flows: lat.invite.length, errors: bad.slice(0, 10), appErrors: appErrors.slice(0, 5) } };
  } finally {
    await worker?.stop();
    await app.stop();
    await stopStandins(s);
    await dropDatabase(db);
  }
}

export type { Stands };
