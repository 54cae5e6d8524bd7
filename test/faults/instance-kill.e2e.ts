import { RunningApp, startApp, waitFor } from '../support/app';
import { recruiter } from '../support/fixtures';
import { World } from '../support/world';
import { BEFORE, duplicates, emailsByOutboxId, faultDescribe, health, interviewWithReminders, REMINDERS_DUE, reminderStates, RITA, sleep, sql, summary } from './fault-helpers';

jest.setTimeout(420_000);

const N = 3000;
const BATCH = 50;
/**
 * What one instance can hold leased at any moment: a fresh batch plus fewer than 8 rows still queued, what its 32
 * workers are sending, and up to 32 sends waiting to be recorded together.
 */
const HELD = BATCH + 8 + 32 + 32;
/** Provider latency (ms) so that a run takes seconds and the kill lands in the middle of it. */
const LATENCY = 40;

/**
 * SPEC §6 faults, "an instance killed mid-run": two app instances on one MariaDB share 3,000 due reminders; one is
 * killed with SIGKILL when about 30 % are delivered. The survivor delivers the rest, including the killed instance's
 * leased rows once their 60 s lease has run out. Nothing is lost; surplus copies ≤ the rows the killed instance held
 * (the rows it held leased at the kill; see HELD for the most it can hold).
 */
faultDescribe('an app instance killed with SIGKILL in the middle of a reminder run', () => {
  let w: World;
  let victim: RunningApp;
  beforeAll(async () => {
    w = await World.start({ CLOCK: 'manual', DISPATCH_BATCH_SIZE: String(BATCH), INSTANCE_ID: 'survivor' });
    const { PORT: _port, ...env } = w.app.env;
    victim = await startApp({ databaseUrl: w.app.databaseUrl, env: { ...env, INSTANCE_ID: 'victim' } });
    await Promise.all([w.setClock(BEFORE), victim.api('PUT', '/api/clock', { now: BEFORE })]);
    await recruiter(w.app, RITA, true);
  });
  afterAll(async () => {
    await victim?.kill();
    await w?.stop();
  });

  it('the survivor delivers every reminder; surplus copies ≤ the killed instance’s in-flight batch', async () => {
    const started = Date.now();
    const { res } = await interviewWithReminders(w.app, 'Instance kill', N, 'email');
    expect(res.status).toBe(201);
    expect(res.body.reminders).toHaveLength(N);
    const interviewId = res.body.id as number;
    await sleep(300);
    expect(w.sendgrid.sent).toHaveLength(0);
    const setupSeconds = Math.round((Date.now() - started) / 1000);

    w.sendgrid.failNext(3 * N, { hang: LATENCY });
    const runStarted = Date.now();
    await Promise.all([w.setClock(REMINDERS_DUE), victim.api('PUT', '/api/clock', { now: REMINDERS_DUE })]);

    // Both instances work; kill one when ~30 % are out.
    await waitFor(() => emailsByOutboxId(w.sendgrid).size >= 0.3 * N, 120_000, '30 % of the reminders');
    await victim.kill();
    const killedAt = Date.now();
    const deliveredAtKill = emailsByOutboxId(w.sendgrid).size;
    // The rows the killed instance held at the kill: claimed (leased), not recorded as sent.
    const held = await sql<{ id: number }>(w.app.databaseUrl, "SELECT id FROM outbox WHERE state = 'scheduled' AND leaseOwner LIKE 'victim:%'");
    const heldIds = new Set(held.map((r) => String(r.id)));
    const victimBatches = await sql<{ n: number }>(w.app.databaseUrl, "SELECT COUNT(DISTINCT leaseOwner) AS n FROM outbox WHERE leaseOwner LIKE 'victim:%'");

    // The survivor goes on alone; the killed instance's rows come back after their lease (60 s).
    await waitFor(() => emailsByOutboxId(w.sendgrid).size >= N, 240_000, `all ${N} reminders delivered`);
    const allDeliveredAt = Date.now();
    await waitFor(async () => ((await reminderStates(w.app, interviewId)).sent ?? 0) === N, 60_000, `all ${N} reminders recorded as sent`);
    await sleep(1500);

    const counts = emailsByOutboxId(w.sendgrid);
    const dup = duplicates(counts);
    const dupIds = [...counts].filter(([, n]) => n > 1).map(([id]) => id);
    const states = await reminderStates(w.app, interviewId);
    const left = await sql<{ n: number }>(w.app.databaseUrl, "SELECT COUNT(*) AS n FROM outbox WHERE state = 'scheduled' OR leaseOwner IS NOT NULL");
    const h = await health(w.app);

    summary('instance-kill', {
      reminders: N,
      batchSize: BATCH,
      deliveredAtKill,
      victimRowsInFlightAtKill: heldIds.size,
      victimBatchesStillLeased: Number(victimBatches[0].n),
      distinctDelivered: counts.size,
      surplusCopies: dup.copies,
      duplicatedIds: dup.ids,
      duplicatesAmongVictimRows: dupIds.filter((id) => heldIds.has(id)).length,
      reminderStates: states,
      outboxLeftOpen: Number(left[0].n),
      survivorHealth: h.status,
      secondsSetup: setupSeconds,
      secondsKillToAllDelivered: Math.round((allDeliveredAt - killedAt) / 1000),
      secondsRun: Math.round((allDeliveredAt - runStarted) / 1000),
    });

    expect(deliveredAtKill).toBeLessThan(N); // the kill did land mid-run
    expect(counts.size).toBe(N); // nothing lost
    expect(heldIds.size).toBeLessThanOrEqual(HELD);
    expect(dup.copies).toBeLessThanOrEqual(heldIds.size); // surplus ≤ in flight at the kill
    expect(dupIds.every((id) => heldIds.has(id))).toBe(true); // and only among those rows
    expect(states).toEqual({ sent: N });
    expect(Number(left[0].n)).toBe(0);
    expect(h.status).toBe(200);
  });
});
