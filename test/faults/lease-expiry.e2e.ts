import { RunningApp, startApp, waitFor } from '../support/app';
import { recruiter } from '../support/fixtures';
import { World } from '../support/world';
import { BEFORE, duplicates, faultDescribe, interviewWithReminders, REMINDERS_DUE, RITA, sleep, sql, summary } from './fault-helpers';

jest.setTimeout(300_000);

const N = 150;
const SMS_PER_SECOND = 2;

/**
 * A batch that takes longer than the 60 s lease: two instances, SMS reminders throttled to SMS_PER_SECOND (Twilio
 * long codes are often limited to 1-10 per second), one instance claims the whole due set (DISPATCH_BATCH_SIZE 200 >
 * N) and needs N / SMS_PER_SECOND = 75 s for it. When the lease of the rows it has not reached yet runs out, the
 * other instance claims them as well.
 *
 * The dispatcher's heartbeat renews the leases it holds while it works, so the other instance never takes them.
 */
faultDescribe('a dispatch batch that outlasts its lease', () => {
  let w: World;
  let other: RunningApp;
  beforeAll(async () => {
    w = await World.start({ CLOCK: 'manual', DISPATCH_BATCH_SIZE: '200', SMS_PER_SECOND: String(SMS_PER_SECOND), INSTANCE_ID: 'first' });
    const { PORT: _port, ...env } = w.app.env;
    other = await startApp({ databaseUrl: w.app.databaseUrl, env: { ...env, INSTANCE_ID: 'second' } });
    await Promise.all([w.setClock(BEFORE), other.api('PUT', '/api/clock', { now: BEFORE })]);
    await recruiter(w.app, RITA, true);
  });
  afterAll(async () => {
    await other?.stop();
    await w?.stop();
  });

  it('sends each SMS once even when the batch takes longer than the lease', async () => {
    const started = Date.now();
    const { res } = await interviewWithReminders(w.app, 'Lease expiry', N, 'sms');
    expect(res.status).toBe(201);
    await Promise.all([w.setClock(REMINDERS_DUE), other.api('PUT', '/api/clock', { now: REMINDERS_DUE })]);

    await waitFor(
      async () => Number((await sql<{ n: number }>(w.app.databaseUrl, "SELECT COUNT(*) AS n FROM outbox WHERE kind = 'reminder.sms' AND state = 'scheduled'"))[0].n) === 0,
      200_000,
      'every SMS reminder settled',
    );
    await sleep(1500);
    const counts = new Map<string, number>();
    for (const c of w.twilio.sent) counts.set(String(c.params.To), (counts.get(String(c.params.To)) ?? 0) + 1);
    const dup = duplicates(counts);
    summary('lease-expiry', { smsReminders: N, smsPerSecond: SMS_PER_SECOND, batchSize: 200, leaseSeconds: 60, distinctDelivered: counts.size, surplusCopies: dup.copies, seconds: Math.round((Date.now() - started) / 1000) });

    expect(counts.size).toBe(N);
    expect(dup.copies).toBe(0);
  });
});
