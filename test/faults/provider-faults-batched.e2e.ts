import { waitFor } from '../support/app';
import { recruiter } from '../support/fixtures';
import { World } from '../support/world';
import { BEFORE, duplicates, emailsByOutboxId, faultDescribe, health, interviewWithReminders, REMINDERS_DUE, reminderStates, RITA, sleep, sql, summary } from './fault-helpers';

jest.setTimeout(300_000);

const N = 300;
const BATCH = 20;
const FAULTS = { s500: 2, s429: 2, hangs: 2 };

/**
 * The provider faults with EMAIL_BATCH_SIZE=20: one SendGrid request carries up to 20 reminders. A refused request
 * retries its whole group and loses nothing; a request that hangs past the timeout but is carried out by SendGrid
 * afterwards sends its group again, so the surplus is bounded by the emails in the hung requests.
 */
faultDescribe('provider faults with batched email reminders', () => {
  let w: World;
  beforeAll(async () => {
    w = await World.start({ CLOCK: 'manual', DISPATCH_BATCH_SIZE: '100', EMAIL_BATCH_SIZE: String(BATCH) });
    await w.setClock(BEFORE);
    await recruiter(w.app, RITA, true);
  });
  afterAll(async () => w?.stop());

  it('delivers every email through 5xx, 429 and timeouts; surplus copies ≤ the emails in hung requests', async () => {
    const started = Date.now();
    const { res } = await interviewWithReminders(w.app, 'Batched provider faults', N, 'email');
    expect(res.status).toBe(201);
    const interviewId = res.body.id as number;

    w.sendgrid.failNext(FAULTS.s500, { status: 500 }).failNext(FAULTS.s429, { status: 429, retryAfter: 2 }).failNext(FAULTS.hangs, { hang: 12_000 });
    await w.setClock(REMINDERS_DUE);
    await waitFor(async () => ((await reminderStates(w.app, interviewId)).sent ?? 0) === N, 180_000, `all ${N} reminders sent`);
    await waitFor(() => w.sendgrid.pendingFaults === 0, 30_000, 'every scripted fault used');
    await waitFor(() => w.sendgrid.requests.every((r) => r.status !== undefined), 30_000, 'hung requests answered');
    await sleep(1000);

    const emails = emailsByOutboxId(w.sendgrid);
    const dup = duplicates(emails);
    const personalizations = (body: Buffer) => (JSON.parse(body.toString('utf8')).personalizations ?? []).length as number;
    const hung = w.sendgrid.requests.filter((r) => r.fault && 'hang' in r.fault);
    const inHung = hung.reduce((sum, r) => sum + personalizations(r.body), 0);
    const rows = await sql<{ state: string; n: number }>(w.app.databaseUrl, "SELECT state, COUNT(*) AS n FROM outbox WHERE kind = 'reminder.email' GROUP BY state");
    const h = await health(w.app);

    summary('provider-faults-batched', {
      reminders: N,
      emailBatchSize: BATCH,
      faults: FAULTS,
      requests: w.sendgrid.requests.length,
      emailsPerAcceptedRequest: Math.round((10 * [...emails.values()].reduce((a, b) => a + b, 0)) / w.sendgrid.sent.length) / 10,
      emailsDistinct: emails.size,
      surplusCopies: dup.copies,
      emailsInHungRequests: inHung,
      outbox: Object.fromEntries(rows.map((r) => [r.state, Number(r.n)])),
      health: h.status,
      seconds: Math.round((Date.now() - started) / 1000),
    });

    expect(emails.size).toBe(N);
    expect(w.sendgrid.sent.length).toBeLessThan(N / 2);
    expect(hung).toHaveLength(FAULTS.hangs);
    expect(dup.copies).toBeLessThanOrEqual(inHung);
    expect(Object.fromEntries(rows.map((r) => [r.state, Number(r.n)]))).toEqual({ sent: N });
    expect(h.status).toBe(200);
  });
});
