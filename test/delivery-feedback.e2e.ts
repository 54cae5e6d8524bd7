import { waitFor } from './support/app';
import { candidate, project, recruiter } from './support/fixtures';
import { confirmPage, inviteViaSlack } from './support/flows';
import { generateSendgridKeyPair, signSendgridEvents } from './support/signing';
import { World } from './support/world';

jest.setTimeout(120_000);
const RITA = 'U0RITA001';

/** SendGrid's event webhook and Twilio's status callbacks, signed as the vendors sign them, on a controlled clock. */
describe('delivery feedback', () => {
  let w: World;
  let projectId: number;
  const keys = generateSendgridKeyPair();
  beforeAll(async () => {
    w = await World.start({ CLOCK: 'manual', SENDGRID_WEBHOOK_PUBLIC_KEY: keys.publicKeyBase64, REMINDER_SWEEP_SECONDS: '1' });
    await w.setClock('2030-03-01T10:00:00Z');
    await recruiter(w.app, RITA, true);
    projectId = (await project(w.app, 'Feedback project')).id;
  });
  afterAll(async () => w?.stop());

  const detail = async (id: number) => (await w.app.api('GET', `/api/interviews/${id}`)).body;

  async function postEvents(body: string) {
    const res = await fetch(`${w.app.url}/email/events`, { method: 'POST', headers: { 'content-type': 'application/json', ...signSendgridEvents(keys.privateKey, body) }, body });
    const text = await res.text();
    return { status: res.status, text, json: JSON.parse(text) };
  }

  /** An interview with one candidate whose invitation email has been handed to SendGrid. */
  async function invited(first: string, step2: Record<string, unknown> = {}, mobile?: string) {
    const c = await candidate(w.app, projectId, first, 'Feedback', { language: 'en', ...(mobile ? { mobile } : {}) });
    const iv = await inviteViaSlack(w, RITA, 'Feedback project', projectId, [c.id], { step1: { date: '2030-03-11', time: '10:00' }, step2 });
    const email = await waitFor(async () => (await detail(iv.id)).invitations[0].messages.find((m: any) => m.kind === 'email.invitation' && m.state === 'sent'), 15_000, 'the invitation email sent');
    return { c, iv, email: email as { id: number; providerMessageId: string } };
  }

  const emailStatus = async (interviewId: number, outboxId: number) => (await detail(interviewId)).invitations[0].messages.find((m: any) => m.id === outboxId).deliveryStatus;
  const failures = async (interviewId: number) => (await detail(interviewId)).invitations[0].history.filter((h: any) => h.action === 'delivery_failed');

  it.each([['{}'], ['"bounce"'], ['null'], ['not json'], ['']])('a body that is not a JSON array (%j) is a 400 saying so', async (body) => {
    const res = await postEvents(body);
    expect(res.status).toBe(400);
    expect(res.json.message).toMatch(/JSON array of SendGrid events/);
  });

  it('odd items are skipped, not a 500, and change nothing', async () => {
    const { iv, email } = await invited('Odd');
    const batches = [
      [null],
      [{ event: 'bounce', sg_message_id: 5 }],
      [{ event: 'constructor', outboxId: email.id }],
      [{ event: 'toString', outboxId: email.id }],
      [{ event: 'hasOwnProperty', outboxId: String(email.id) }],
      [{ event: 'bounce', outboxId: { id: email.id } }],
      [5, 'bounce', [], { event: ['bounce'], outboxId: email.id }],
    ];
    for (const batch of batches) {
      const res = await postEvents(JSON.stringify(batch));
      expect([res.status, res.json]).toEqual([200, { received: batch.length, applied: 0, skipped: batch.length }]);
    }
    expect(await emailStatus(iv.id, email.id)).toBeNull();
    expect(await failures(iv.id)).toEqual([]);
  });

  it('a bounce is kept against later deferred and processed events; a repeated batch is applied once', async () => {
    const { c, iv, email } = await invited('Bouncy');
    const batch = JSON.stringify([
      null,
      { event: 'processed', sg_message_id: `${email.providerMessageId}.filter0001`, outboxId: String(email.id), timestamp: 1 },
      { event: 'bounce', reason: '550 no such user', sg_message_id: `${email.providerMessageId}.filter0001`, outboxId: String(email.id), timestamp: 2 },
      { event: 'open', outboxId: String(email.id), timestamp: 3 },
    ]);
    expect((await postEvents(batch)).json).toEqual({ received: 4, applied: 2, skipped: 2 });
    expect(await emailStatus(iv.id, email.id)).toBe('bounced');
    expect((await postEvents(batch)).json).toEqual({ received: 4, applied: 0, skipped: 2 });

    const later = await postEvents(
      JSON.stringify([
        { event: 'deferred', sg_message_id: `${email.providerMessageId}.filter0001`, outboxId: String(email.id) },
        { event: 'processed', sg_message_id: `${email.providerMessageId}.filter0001` },
        { event: 'delivered', outboxId: email.id },
      ]),
    );
    expect(later.json).toEqual({ received: 3, applied: 0, skipped: 0 });
    expect(await emailStatus(iv.id, email.id)).toBe('bounced');
    expect(await failures(iv.id)).toHaveLength(1);
    const card = await waitFor(async () => (await detail(iv.id)).slack as { ts: string } | null, 15_000, 'the card');
    const thread = await waitFor(() => {
      const replies = [...w.slack.messages.values()].filter((m) => m.thread_ts === card.ts && /invitation email to Bouncy Feedback did not arrive: the email bounced/.test(m.text ?? ''));
      return replies.length ? replies : null;
    }, 15_000, 'the bounce in the thread');
    expect(thread).toHaveLength(1);

    const { link, csrf } = await confirmPage(w, c.candidate.email);
    const since = Date.now();
    await fetch(link, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ answer: 'yes', csrf }).toString() });
    const edit = await waitFor(() => w.slack.calls.find((call) => call.method === 'chat.update' && call.ok && call.at >= since && call.args.ts === card.ts && /accepted/.test(JSON.stringify(call.args.blocks))), 15_000, 'the card edited');
    expect(JSON.stringify(edit.args.blocks)).toContain('⚠️ bounced');
  });

  it('delivered replaces processed and is kept against a later deferred', async () => {
    const { iv, email } = await invited('Delivered');
    await postEvents(JSON.stringify([{ event: 'processed', outboxId: email.id }]));
    expect(await emailStatus(iv.id, email.id)).toBe('processed');
    await postEvents(JSON.stringify([{ event: 'delivered', sg_message_id: `${email.providerMessageId}.filter0002` }]));
    expect(await emailStatus(iv.id, email.id)).toBe('delivered');
    await postEvents(JSON.stringify([{ event: 'deferred', outboxId: email.id }, { event: 'processed', outboxId: email.id }]));
    expect(await emailStatus(iv.id, email.id)).toBe('delivered');
  });

  it('an undelivered SMS stays undelivered when sent and delivered callbacks come after it', async () => {
    const mobile = '+46701230077';
    const { iv } = await invited('Texted', { reminder_option: 'sms', reminder_days: '1' }, mobile);
    await w.setClock('2030-03-10T08:00:00Z');
    const sms = await waitFor(() => w.twilio.sent.find((s) => s.params.To === mobile), 15_000, 'the SMS reminder');
    const smsStatus = async () => (await detail(iv.id)).reminders.find((r: any) => r.providerMessageId === sms.sid).deliveryStatus;
    expect((await w.twilio.sendStatusCallback(sms.sid!, 'sent')).status).toBe(204);
    expect(await smsStatus()).toBe('sent');
    expect((await w.twilio.sendStatusCallback(sms.sid!, 'undelivered', { errorCode: '30005' })).status).toBe(204);
    expect(await smsStatus()).toBe('undelivered');
    for (const status of ['sent', 'queued', 'delivered'] as const) {
      expect((await w.twilio.sendStatusCallback(sms.sid!, status)).status).toBe(204);
      expect(await smsStatus()).toBe('undelivered');
    }
    expect(await failures(iv.id)).toHaveLength(1);
  });
});
