import * as fs from 'node:fs';
import { RunningApp, startApp, waitFor } from './support/app';
import { project, recruiter } from './support/fixtures';
import { World } from './support/world';

jest.setTimeout(300_000);
const RITA = 'U0RITA001';

async function applications(app: RunningApp, projectId: number, n: number): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < n; i += 25) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(25, n - i) }, (_, k) =>
        app.api('POST', `/api/projects/${projectId}/applications`, { firstName: `C${i + k}`, lastName: 'Many', email: `c${i + k}.${projectId}@example.com`, language: (i + k) % 3 ? 'sv' : 'en' }),
      ),
    );
    for (const r of batch) {
      if (r.status !== 201) throw new Error(`${r.status} ${r.text}`);
      ids.push(r.body.id);
    }
  }
  return ids;
}

/** Outbox ids the SendGrid stand-in received (custom_args.outboxId), counted. */
function receivedByOutboxId(w: World): Map<string, number> {
  const counts = new Map<string, number>();
  for (const c of w.sendgrid.sent) {
    const id = c.body.custom_args?.outboxId ?? c.body.personalizations?.[0]?.custom_args?.outboxId;
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

describe('several app instances on one database', () => {
  let w: World;
  let second: RunningApp;
  beforeAll(async () => {
    w = await World.start({ CLOCK: 'manual', DISPATCH_BATCH_SIZE: '50' });
    const { PORT: _port, INSTANCE_ID: _id, ...env } = w.app.env;
    second = await startApp({ databaseUrl: w.app.databaseUrl, env });
    await w.setClock('2030-09-01T10:00:00Z');
    await second.api('PUT', '/api/clock', { now: '2030-09-01T10:00:00Z' });
    await recruiter(w.app, RITA, true);
  });
  afterAll(async () => {
    await second?.stop();
    await w?.stop();
  });

  it('delivers 2,000 due outbox rows exactly once between two dispatchers', async () => {
    const p = await project(w.app, 'Two thousand');
    const ids = await applications(w.app, p.id, 2000);
    const res = await w.app.api('POST', '/api/interviews', { projectId: p.id, applicationIds: ids, type: 'info_meeting', date: '2030-09-20', time: '10:00', createdBy: RITA });
    expect(res.status).toBe(201);
    await waitFor(() => receivedByOutboxId(w).size >= 2000, 120_000, '2000 invitation emails');
    await new Promise((r) => setTimeout(r, 1500));
    const counts = receivedByOutboxId(w);
    expect(counts.size).toBe(2000);
    expect([...counts.values()].filter((n) => n > 1)).toEqual([]);
    const recipients = new Set(w.sendgrid.recipients);
    expect(recipients.size).toBe(2000);
  });

  it('sends 5,000 due reminders exactly once from two processes', async () => {
    w.sendgrid.reset();
    const p = await project(w.app, 'Five thousand');
    const ids = await applications(w.app, p.id, 5000);
    const res = await w.app.api('POST', '/api/interviews', {
      projectId: p.id,
      applicationIds: ids,
      type: 'group',
      date: '2030-09-25',
      time: '10:00',
      createdBy: RITA,
      sendEmail: false,
      reminder: { option: 'email', days: 1 },
    });
    expect(res.status).toBe(201);
    expect(res.body.reminders).toHaveLength(5000);
    await new Promise((r) => setTimeout(r, 500));
    expect(w.sendgrid.sent).toHaveLength(0);
    await Promise.all([w.setClock('2030-09-24T07:00:01Z'), second.api('PUT', '/api/clock', { now: '2030-09-24T07:00:01Z' })]);
    await waitFor(() => receivedByOutboxId(w).size >= 5000, 180_000, '5000 reminders');
    await new Promise((r) => setTimeout(r, 1500));
    const counts = receivedByOutboxId(w);
    expect(counts.size).toBe(5000);
    expect([...counts.values()].filter((n) => n > 1)).toEqual([]);
    const detail = (await w.app.api('GET', `/api/interviews/${res.body.id}`)).body;
    expect(detail.reminders.filter((r: any) => r.state === 'sent')).toHaveLength(5000);
  });
});

describe('the SMS rate limit across instances', () => {
  let w: World;
  let second: RunningApp;
  beforeAll(async () => {
    w = await World.start({ CLOCK: 'manual', SMS_PER_SECOND: '5' });
    const { PORT: _port, INSTANCE_ID: _id, ...env } = w.app.env;
    second = await startApp({ databaseUrl: w.app.databaseUrl, env });
    await Promise.all([w.setClock('2030-09-01T10:00:00Z'), second.api('PUT', '/api/clock', { now: '2030-09-01T10:00:00Z' })]);
    await recruiter(w.app, RITA, true);
  });
  afterAll(async () => {
    await second?.stop();
    await w?.stop();
  });

  it('keeps SMS_PER_SECOND for the whole deployment, not per instance', async () => {
    const p = await project(w.app, 'Rate limited');
    const ids: number[] = [];
    for (let i = 0; i < 30; i++) ids.push((await w.app.api('POST', `/api/projects/${p.id}/applications`, { firstName: `S${i}`, lastName: 'Rate', email: `s${i}.rate@example.com`, mobile: `+4670200${String(1000 + i)}` })).body.id);
    const res = await w.app.api('POST', '/api/interviews', { projectId: p.id, applicationIds: ids, type: 'phone', date: '2030-09-20', time: '10:00', createdBy: RITA, sendEmail: false, reminder: { option: 'sms', days: 1 } });
    expect(res.status).toBe(201);
    await Promise.all([w.setClock('2030-09-19T07:00:01Z'), second.api('PUT', '/api/clock', { now: '2030-09-19T07:00:01Z' })]);
    await waitFor(() => w.twilio.sent.length >= 30, 60_000, '30 SMS');
    const times = w.twilio.sent.map((c) => c.at).sort((a, b) => a - b);
    let peak = 0;
    for (let i = 0; i < times.length; i++) peak = Math.max(peak, times.filter((t) => t >= times[i] && t < times[i] + 1000).length);
    expect(peak).toBeLessThanOrEqual(6);
    expect(times.at(-1)! - times[0]).toBeGreaterThanOrEqual(29 * 200 - 300);
  });
});

describe('a web instance and a worker instance (ROLE)', () => {
  let w: World;
  let worker: RunningApp | undefined;
  beforeAll(async () => {
    w = await World.start({ ROLE: 'web' });
    await recruiter(w.app, RITA, true);
  });
  afterAll(async () => {
    await worker?.stop();
    await w?.stop();
  });

  it('stores on the web instance, sends from the worker, and the worker serves only /health', async () => {
    const p = await project(w.app, 'Split roles');
    const ids = await applications(w.app, p.id, 3);
    const res = await w.app.api('POST', '/api/interviews', { projectId: p.id, applicationIds: ids, type: 'video', date: '2030-09-20', time: '10:00', createdBy: RITA });
    expect(res.status).toBe(201);
    await new Promise((r) => setTimeout(r, 1500));
    expect(w.sendgrid.sent.length).toBe(0);

    const { PORT: _port, INSTANCE_ID: _id, ...env } = w.app.env;
    worker = await startApp({ databaseUrl: w.app.databaseUrl, env: { ...env, ROLE: 'worker' } });
    await waitFor(() => receivedByOutboxId(w).size >= 3, 30_000, 'three invitation emails from the worker');
    expect((await fetch(`${worker.url}/health`)).status).toBe(200);
    const refused = await fetch(`${worker.url}/api/interviews/${res.body.id}`);
    expect(refused.status).toBe(404);
    expect(await refused.text()).toMatch(/ROLE=worker/);
    // The worker gives way to request-serving processes on a shared machine: it runs 10 nice steps lower.
    const nice = (pid: number) => Number(fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')[16]);
    expect(nice(worker.pid)).toBe(Math.min(19, nice(w.app.pid) + 10));
  });
});
