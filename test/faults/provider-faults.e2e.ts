import { waitFor } from '../support/app';
import { recruiter } from '../support/fixtures';
import { World } from '../support/world';
import { BEFORE, duplicates, emailsByOutboxId, faultDescribe, health, interviewWithReminders, REMINDERS_DUE, reminderStates, RITA, sleep, sql, summary } from './fault-helpers';

jest.setTimeout(300_000);

const N = 300;
const EMAIL_FAULTS = { s500: 6, s429: 6, hangs: 3 };
const SMS_FAULTS = { s500: 5, s503: 3, s429: 5, hangs: 2 };

/**
 * SPEC §6 faults, providers: SendGrid and Twilio answer 500/503, 429 with Retry-After, and hang past the clients'
 * 10 s timeout during a run of 300 candidates × (email + SMS) due reminders. Everything is delivered in the end; each
 * message exactly once, except that a request the client gave up on (timeout) but the provider still carried out
 * may be sent again: at most one surplus copy per hang.
 */
faultDescribe('provider faults during a reminder run', () => {
  let w: World;
  beforeAll(async () => {
    w = await World.start({ CLOCK: 'manual', DISPATCH_BATCH_SIZE: '50', SMS_PER_SECOND: '200' });
    await w.setClock(BEFORE);
    await recruiter(w.app, RITA, true);
  });
  afterAll(async () => w?.stop());

  it('delivers every email and SMS reminder through 5xx, 429 and timeouts; surplus copies ≤ hangs', async () => {
    const started = Date.now();
    const { res } = await interviewWithReminders(w.app, 'Provider faults', N, 'sms_email');
    expect(res.status).toBe(201);
    expect(res.body.reminders).toHaveLength(2 * N);
    const interviewId = res.body.id as number;

    // Faults at the start of the run …
    w.sendgrid.failNext(EMAIL_FAULTS.s500 / 2, { status: 500 }).failNext(EMAIL_FAULTS.s429 / 2, { status: 429, retryAfter: 3 }).failNext(1, { hang: 12_000 });
    w.twilio.failNext(SMS_FAULTS.s500, { status: 500 }).failNext(SMS_FAULTS.s429, { status: 429, retryAfter: 2 }).failNext(1, { hang: 12_000 });
    await w.setClock(REMINDERS_DUE);

    // … and more in the middle of it, once a third of the emails is out.
    await waitFor(() => emailsByOutboxId(w.sendgrid).size >= N / 3, 60_000, 'a third of the emails');
    w.sendgrid.failNext(EMAIL_FAULTS.hangs - 1, { hang: 12_000 }).failNext(EMAIL_FAULTS.s500 / 2, { status: 500 }).failNext(EMAIL_FAULTS.s429 / 2, { status: 429, retryAfter: 2 });
    w.twilio.failNext(SMS_FAULTS.hangs - 1, { hang: 12_000 }).failNext(SMS_FAULTS.s503, { status: 503 });

    // While providers misbehave the app stays healthy.
    expect((await health(w.app)).status).toBe(200);

    await waitFor(
      async () => {
        const s = await reminderStates(w.app, interviewId);
        return (s.sent ?? 0) === 2 * N;
      },
      180_000,
      `all ${2 * N} reminders sent`,
    );
    // A hung request the client gave up on is still carried out by the provider when the hang ends.
    await waitFor(() => w.sendgrid.pendingFaults === 0 && w.twilio.pendingFaults === 0, 30_000, 'every scripted fault used');
    await waitFor(() => w.sendgrid.requests.every((r) => r.status !== undefined) && w.twilio.requests.every((r) => r.status !== undefined), 30_000, 'hung requests answered');
    await sleep(1000);

    const emails = emailsByOutboxId(w.sendgrid);
    const emailDup = duplicates(emails);
    const smsCounts = new Map<string, number>();
    for (const c of w.twilio.sent) smsCounts.set(String(c.params.To), (smsCounts.get(String(c.params.To)) ?? 0) + 1);
    const smsDup = duplicates(smsCounts);
    const rows = await sql<{ state: string; n: number; maxAttempts: number }>(w.app.databaseUrl, "SELECT state, COUNT(*) AS n, MAX(attempts) AS maxAttempts FROM outbox WHERE kind LIKE 'reminder.%' GROUP BY state");
    const retried = await sql<{ n: number; extra: number }>(w.app.databaseUrl, "SELECT SUM(attempts > 1) AS n, SUM(attempts - 1) AS extra FROM outbox WHERE kind LIKE 'reminder.%'");
    const h = await health(w.app);
    // Retry-After honoured: the next attempt of a message answered 429 came no sooner than the header said.
    const outboxIdOf = (body: Buffer) => String(JSON.parse(body.toString('utf8')).custom_args?.outboxId);
    const retryAfterGaps = w.sendgrid.requests
      .filter((r) => r.fault && 'status' in r.fault && r.fault.status === 429)
      .map((r) => {
        const id = outboxIdOf(r.body);
        const next = w.sendgrid.requests.find((q) => q.at > r.at && outboxIdOf(q.body) === id);
        return { wantMs: ((r.fault as { retryAfter: number }).retryAfter ?? 0) * 1000, gotMs: next ? next.at - r.at : -1 };
      });

    summary('provider-faults', {
      reminders: 2 * N,
      emailFaults: EMAIL_FAULTS,
      smsFaults: SMS_FAULTS,
      emailRequests: w.sendgrid.requests.length,
      emailsDistinct: emails.size,
      emailSurplusCopies: emailDup.copies,
      smsRequests: w.twilio.requests.filter((r) => r.path.endsWith('/Messages.json')).length,
      smsDistinct: smsCounts.size,
      smsSurplusCopies: smsDup.copies,
      rowsRetried: Number(retried[0].n),
      extraAttempts: Number(retried[0].extra),
      outbox: Object.fromEntries(rows.map((r) => [r.state, Number(r.n)])),
      retryAfterGapsMs: retryAfterGaps.map((g) => g.gotMs),
      health: h.status,
      seconds: Math.round((Date.now() - started) / 1000),
    });

    expect(emails.size).toBe(N);
    expect(smsCounts.size).toBe(N);
    expect(emailDup.copies).toBeLessThanOrEqual(EMAIL_FAULTS.hangs);
    expect(smsDup.copies).toBeLessThanOrEqual(SMS_FAULTS.hangs);
    expect(Object.fromEntries(rows.map((r) => [r.state, Number(r.n)]))).toEqual({ sent: 2 * N });
    // Every 5xx and timeout cost its row one attempt; a 429 costs none (the send was refused, not tried).
    expect(Number(retried[0].extra)).toBeGreaterThanOrEqual(EMAIL_FAULTS.s500 + EMAIL_FAULTS.hangs + SMS_FAULTS.s500 + SMS_FAULTS.s503 + SMS_FAULTS.hangs);
    expect(retryAfterGaps).toHaveLength(EMAIL_FAULTS.s429);
    for (const g of retryAfterGaps) expect(g.gotMs).toBeGreaterThanOrEqual(g.wantMs - 50);
    expect(h.status).toBe(200);
  });
});
