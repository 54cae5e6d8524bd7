import { waitFor } from './support/app';
import { candidate, project, recruiter } from './support/fixtures';
import { confirmLinkFor, confirmPage, inviteViaSlack } from './support/flows';
import { generateSendgridKeyPair, signSendgridEvents, signTwilioRequest } from './support/signing';
import { TWILIO_TOKEN, World } from './support/world';

jest.setTimeout(120_000);
const RITA = 'U0RITA001';

/**
 * A controlled clock (CLOCK=manual, set through the admin API): the interview is on Monday 11 March 2030 at 10:00
 * Stockholm; with 2 days the reminders are due Saturday 9 March at 09:00 Stockholm (08:00Z, CET).
 */
describe('reminders at 09:00 Stockholm time', () => {
  let w: World;
  let projectId: number;
  const keys = generateSendgridKeyPair();
  beforeAll(async () => {
    w = await World.start({ CLOCK: 'manual', SENDGRID_WEBHOOK_PUBLIC_KEY: keys.publicKeyBase64, REMINDER_SWEEP_SECONDS: '1' });
    await w.setClock('2030-03-01T10:00:00Z');
    await recruiter(w.app, RITA, true);
    projectId = (await project(w.app, 'Reminder project')).id;
  });
  afterAll(async () => w?.stop());

  const detail = async (id: number) => (await w.app.api('GET', `/api/interviews/${id}`)).body;
  const smsTo = (to: string) => w.twilio.sent.filter((c) => c.params.To === to);
  const reminderMailsTo = (email: string) => w.sendgrid.sent.filter((c) => c.body.personalizations[0].to[0].email === email && !c.body.attachments);

  async function sms(from: string, body: string) {
    const params = { MessageSid: `SM${Math.random().toString(16).slice(2).padEnd(32, '0')}`, From: from, To: '+46700000000', Body: body };
    await fetch(`${w.app.url}/sms/inbound`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signTwilioRequest(TWILIO_TOKEN, `http://localhost:${w.app.port}/sms/inbound`, params) },
      body: new URLSearchParams(params).toString(),
    });
  }

  it('sends SMS and email at the due minute and not before; skips declined, withdrawn, new-time and opted-out invitations with their reasons', async () => {
    const people = await Promise.all(
      ['Ada', 'Bo', 'Cy', 'Di', 'Ev'].map((n, i) => candidate(w.app, projectId, n, 'Remind', { mobile: `+4670111000${i}`, language: i % 2 ? 'en' : 'sv' })),
    );
    const iv = await inviteViaSlack(w, RITA, 'Reminder project', projectId, people.map((p) => p.id), {
      step1: { date: '2030-03-11', time: '10:00' },
      step2: { reminder_option: 'sms_email', reminder_days: '2' },
    });
    const due = '2030-03-09T08:00:00.000Z';
    expect(iv.reminders).toHaveLength(10);
    expect(iv.reminders.every((r: any) => r.state === 'scheduled' && r.scheduledFor === due)).toBe(true);

    const [ada, bo, cy, di, ev] = people;
    await sms(bo.candidate.mobile!, 'NO');
    await sms(cy.candidate.mobile!, 'WITHDRAW');
    await sms(di.candidate.mobile!, 'NEW');
    await sms(ev.candidate.mobile!, 'STOP');

    await w.setClock('2030-03-09T07:59:00Z');
    await new Promise((r) => setTimeout(r, 1500));
    expect(smsTo(ada.candidate.mobile!)).toHaveLength(0);
    expect(reminderMailsTo(ada.candidate.email)).toHaveLength(0);

    await w.setClock('2030-03-09T08:00:00Z');
    await waitFor(() => smsTo(ada.candidate.mobile!).length === 1 && reminderMailsTo(ada.candidate.email).length === 1, 15_000, 'the reminders');
    const text = smsTo(ada.candidate.mobile!)[0].params.Body as string;
    expect(text).toMatch(/JA/);
    expect(text).toContain(iv.invitations.find((i: any) => i.applicationId === ada.id).ref);
    expect(Number(smsTo(ada.candidate.mobile!)[0].params.ValidityPeriod)).toBeGreaterThan(0);
    expect(smsTo(ada.candidate.mobile!)[0].params.StatusCallback).toMatch(/\/sms\/status$/);

    const after = await waitFor(async () => {
      const d = await detail(iv.id);
      return d.reminders.every((r: any) => r.state !== 'scheduled') ? d : null;
    }, 15_000, 'every reminder settled');
    const reasons = (who: { id: number }) => {
      const inv = after.invitations.find((i: any) => i.applicationId === who.id);
      return inv.reminders.map((r: any) => `${r.kind}:${r.state}:${r.reason ?? ''}`).sort();
    };
    expect(reasons(ada)).toEqual(['reminder.email:sent:', 'reminder.sms:sent:']);
    expect(reasons(bo)).toEqual(['reminder.email:skipped:the candidate declined', 'reminder.sms:skipped:the candidate declined']);
    expect(reasons(cy)).toEqual(['reminder.email:skipped:the candidate withdrew the application', 'reminder.sms:skipped:the candidate withdrew the application']);
    expect(reasons(di)).toEqual(['reminder.email:skipped:the candidate is waiting for a new time', 'reminder.sms:skipped:the candidate is waiting for a new time']);
    expect(reasons(ev)).toEqual(['reminder.email:sent:', 'reminder.sms:skipped:the number opted out of SMS (STOP)']);
    expect(smsTo(ev.candidate.mobile!)).toHaveLength(0);
    expect(smsTo(bo.candidate.mobile!)).toHaveLength(0);

    // Delivery feedback: an undelivered SMS is recorded and told in the card's thread; a bad signature changes nothing.
    const sid = smsTo(ada.candidate.mobile!)[0].sid!;
    const forged = await w.twilio.sendStatusCallback(sid, 'undelivered', { authToken: 'wrong' });
    expect(forged.status).toBe(403);
    expect((await detail(iv.id)).reminders.find((r: any) => r.providerMessageId === sid).deliveryStatus).toBeNull();
    const ok = await w.twilio.sendStatusCallback(sid, 'undelivered', { errorCode: '30005' });
    expect(ok.status).toBe(204);
    expect((await detail(iv.id)).reminders.find((r: any) => r.providerMessageId === sid).deliveryStatus).toBe('undelivered');
    await waitFor(() => [...w.slack.messages.values()].find((m) => m.thread_ts && /SMS reminder to Ada Remind did not arrive/.test(m.text ?? '')), 15_000, 'the failure in the thread');

    // SendGrid's signed event webhook: a bad signature is refused; a bounce is recorded and told.
    const mail = reminderMailsTo(ada.candidate.email)[0];
    const reminderRow = (await detail(iv.id)).reminders.find((r: any) => r.kind === 'reminder.email' && r.state === 'sent' && r.providerMessageId === mail.messageId);
    const events = JSON.stringify([{ email: ada.candidate.email, event: 'bounce', reason: '550 no such user', sg_message_id: `${mail.messageId}.filter0001`, outboxId: String(reminderRow.id), timestamp: 1 }]);
    const ts = String(Math.floor(Date.now() / 1000));
    const badHeaders = signSendgridEvents(generateSendgridKeyPair().privateKey, events, ts);
    const bad = await fetch(`${w.app.url}/email/events`, { method: 'POST', headers: { 'content-type': 'application/json', ...badHeaders }, body: events });
    expect(bad.status).toBe(403);
    expect((await detail(iv.id)).reminders.find((r: any) => r.id === reminderRow.id).deliveryStatus).toBeNull();
    const good = await fetch(`${w.app.url}/email/events`, { method: 'POST', headers: { 'content-type': 'application/json', ...signSendgridEvents(keys.privateKey, events, ts) }, body: events });
    expect(good.status).toBe(200);
    expect((await detail(iv.id)).reminders.find((r: any) => r.id === reminderRow.id).deliveryStatus).toBe('bounced');
    await waitFor(() => [...w.slack.messages.values()].find((m) => m.thread_ts && /email reminder to Ada Remind did not arrive: the email bounced/.test(m.text ?? '')), 15_000, 'the bounce in the thread');
  });

  it('moves the reminder on reschedule (new email with a raised SEQUENCE) and cancels it on cancel (METHOD:CANCEL)', async () => {
    await w.setClock('2030-04-01T10:00:00Z');
    const a = await candidate(w.app, projectId, 'Flytt', 'Bar', { mobile: '+46701112299' });
    const iv = await inviteViaSlack(w, RITA, 'Reminder project', projectId, [a.id], { step1: { date: '2030-04-15', time: '13:00' }, step2: { reminder_option: 'email', reminder_days: '1' } });
    expect(iv.reminders.map((r: any) => r.scheduledFor)).toEqual(['2030-04-14T07:00:00.000Z']); // CEST: 09:00 = 07:00Z
    const accepted = await fetch(`${w.app.url}${new URL(await confirmLinkFor(w, a.candidate.email)).pathname}`);
    expect(accepted.status).toBe(200);

    const since = Date.now();
    await w.blockAction(RITA, { action_id: 'card_reschedule', value: String(iv.id), type: 'button', block_id: 'actions' }, { channel: { id: 'C0HIRING1' } });
    const view = await w.waitForView('reschedule', since);
    const res = await w.submit(view, RITA, { reschedule_date: '2030-04-18', reschedule_time: '09:30' });
    expect(res.status).toBe(200);
    const moved = await waitFor(async () => {
      const d = await detail(iv.id);
      return d.sequence === 1 ? d : null;
    });
    expect(moved.reminders.filter((r: any) => r.state === 'scheduled').map((r: any) => r.scheduledFor)).toEqual(['2030-04-17T07:00:00.000Z']);
    expect(moved.reminders.filter((r: any) => r.state === 'cancelled')).toHaveLength(1);
    const rescheduleMail = await waitFor(() => w.sendgrid.sent.filter((c) => c.body.personalizations[0].to[0].email === a.candidate.email && c.body.attachments?.length).at(1), 15_000, 'the new invitation');
    expect(Buffer.from(rescheduleMail.body.attachments[0].content, 'base64').toString()).toMatch(/SEQUENCE:1/);

    await w.blockAction(RITA, { action_id: 'card_cancel', value: String(iv.id), type: 'button' }, { channel: { id: 'C0HIRING1' } });
    const cancelView = await w.waitForView('cancel_interview', since);
    await w.submit(cancelView, RITA, {});
    const cancelled = await waitFor(async () => {
      const d = await detail(iv.id);
      return d.status === 'cancelled' ? d : null;
    });
    expect(cancelled.invitations[0].status).toBe('cancelled');
    expect(cancelled.reminders.filter((r: any) => r.state === 'scheduled')).toHaveLength(0);
    const cancelMail = await waitFor(() => w.sendgrid.sent.find((c) => c.body.personalizations[0].to[0].email === a.candidate.email && c.body.attachments?.[0]?.filename === 'cancel.ics'), 15_000, 'the cancellation');
    expect(Buffer.from(cancelMail.body.attachments[0].content, 'base64').toString()).toMatch(/METHOD:CANCEL/);
  });

  it('retries provider 500 and 429, then sends; a permanent 4xx is failed and posted in the thread', async () => {
    await w.setClock('2030-05-01T10:00:00Z');
    const a = await candidate(w.app, projectId, 'Retry', 'Me', { mobile: '+46701113300' });
    const b = await candidate(w.app, projectId, 'Never', 'Me', { mobile: '+46701113301' });
    w.twilio.optOut(b.candidate.mobile!);
    const iv = await inviteViaSlack(w, RITA, 'Reminder project', projectId, [a.id, b.id], { step1: { date: '2030-05-10', time: '10:00' }, step2: { reminder_option: 'sms', reminder_days: '1' } });
    w.twilio.failNext(1, { status: 500 });
    w.twilio.failNext(1, { status: 429, retryAfter: 1 });
    await w.setClock('2030-05-09T07:00:00Z');
    await waitFor(() => smsTo(a.candidate.mobile!).length === 1, 40_000, 'the SMS after retries');
    const d = await waitFor(async () => {
      const x = await detail(iv.id);
      return x.reminders.every((r: any) => r.state !== 'scheduled') ? x : null;
    }, 40_000);
    const requests = w.twilio.requests.filter((r) => r.path.includes('/Messages.json')).length;
    expect(requests).toBeGreaterThanOrEqual(3);
    const sent = d.reminders.find((r: any) => r.invitationId === d.invitations[0].id);
    expect(sent.state).toBe('sent');
    const failed = d.reminders.find((r: any) => r.invitationId === d.invitations[1].id);
    expect(failed.state).toBe('failed');
    // The request answered 429 cost no attempt (the send was refused, not tried).
    expect(sent.attempts + failed.attempts).toBeLessThan(requests);
    expect(failed.reason).toMatch(/21610/);
    await waitFor(() => [...w.slack.messages.values()].find((m) => m.thread_ts === d.slack.ts && /SMS reminder to Never Me could not be sent/.test(m.text ?? '')), 15_000, 'failure in the thread');
  });

  it('refuses a reminder day that cannot be reached, saying what is possible', async () => {
    await w.setClock('2030-06-03T12:00:00Z');
    const a = await candidate(w.app, projectId, 'Soon', 'Ish');
    await expect(
      inviteViaSlack(w, RITA, 'Reminder project', projectId, [a.id], { step1: { date: '2030-06-05', time: '10:00' }, step2: { reminder_option: 'email', reminder_days: '3' } }),
    ).rejects.toThrow(/reminder_days.*1 day, 2 days/i);
  });

  it('a "no" changed back to "yes": the reminder still carries the link (by SMS too); after the reminder went out, neither that nor a resend sends it twice', async () => {
    await w.setClock('2030-07-01T10:00:00Z');
    const people = await Promise.all(['Lina', 'Max'].map((n, i) => candidate(w.app, projectId, n, 'Again', { mobile: `+4670111200${i}` })));
    const [lina, max] = people;
    const iv = await inviteViaSlack(w, RITA, 'Reminder project', projectId, [lina.id, max.id], {
      step1: { date: '2030-07-11', time: '10:00' },
      step2: { reminder_option: 'email', reminder_days: '2' },
    });
    const answer = async (email: string, answer: string) => {
      const { link, csrf } = await confirmPage(w, email);
      const res = await fetch(link, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ answer, csrf }).toString() });
      expect(res.status).toBe(200);
    };
    const statusOf = async (who: { id: number }) => (await detail(iv.id)).invitations.find((i: any) => i.applicationId === who.id).status;

    // By SMS, so the reminder planned again finds the link on the reminder the "no" skipped (a link answer brings its own).
    await sms(lina.candidate.mobile!, 'NO');
    await sms(lina.candidate.mobile!, 'YES');
    expect(await statusOf(lina)).toBe('accepted');

    await w.setClock('2030-07-09T07:00:00Z'); // 09:00 CEST
    await waitFor(() => reminderMailsTo(lina.candidate.email).length === 1 && reminderMailsTo(max.candidate.email).length === 1, 15_000, 'the reminders');
    // The stand-in has them once SendGrid took them; the app records them a moment later. A change within that moment
    // finds the reminder still in flight: it is then cancelled unrecorded and planned again (at least once, not at most).
    await waitFor(async () => (await detail(iv.id)).reminders.filter((r: any) => r.state === 'sent').length === 2, 15_000, 'the reminders recorded as sent');
    const linaLink = new URL(await confirmLinkFor(w, lina.candidate.email)).pathname;
    const html = reminderMailsTo(lina.candidate.email)[0].body.content.find((c: any) => c.type === 'text/html').value as string;
    expect(html).toContain(linaLink);

    await w.setClock('2030-07-09T08:00:00Z');
    await answer(max.candidate.email, 'no');
    await answer(max.candidate.email, 'yes');
    expect(await statusOf(max)).toBe('accepted');
    const invitationsBefore = w.sendgrid.sent.filter((c) => c.body.attachments?.length).length;
    await w.blockAction(RITA, { action_id: 'card_resend', value: String(iv.id), type: 'button' }, { channel: { id: 'C0HIRING1' } });
    await waitFor(() => w.sendgrid.sent.filter((c) => c.body.attachments?.length).length >= invitationsBefore + 2, 15_000, 'the invitations sent again');
    await new Promise((r) => setTimeout(r, 2500));
    expect(reminderMailsTo(lina.candidate.email)).toHaveLength(1);
    expect(reminderMailsTo(max.candidate.email)).toHaveLength(1);
    const reminders = (await detail(iv.id)).reminders;
    expect(reminders.filter((r: any) => r.state === 'scheduled')).toHaveLength(0);
    expect(reminders.filter((r: any) => r.state === 'sent')).toHaveLength(2);
  });

  it('a move that leaves fewer days than the reminder was set for takes the most the new time leaves, and says so in the thread', async () => {
    await w.setClock('2030-08-10T10:00:00Z'); // 12:00 in Stockholm
    const a = await candidate(w.app, projectId, 'Soon', 'Moved', { mobile: '+46701112388' });
    const iv = await inviteViaSlack(w, RITA, 'Reminder project', projectId, [a.id], { step1: { date: '2030-08-20', time: '10:00' }, step2: { reminder_option: 'email', reminder_days: '2' } });
    const reschedule = async (date: string, time: string) => {
      const since = Date.now();
      await w.blockAction(RITA, { action_id: 'card_reschedule', value: String(iv.id), type: 'button', block_id: 'actions' }, { channel: { id: 'C0HIRING1' } });
      const view = await w.waitForView('reschedule', since);
      expect((await w.submit(view, RITA, { reschedule_date: date, reschedule_time: time })).status).toBe(200);
    };

    await reschedule('2030-08-11', '10:00');
    const moved = await waitFor(async () => {
      const d = await detail(iv.id);
      return d.sequence === 1 ? d : null;
    });
    expect(moved.reminder).toEqual({ option: 'email', days: 2 }); // the choice stays; the move only bends it
    await waitFor(() => reminderMailsTo(a.candidate.email).length === 1, 15_000, 'the 1-day reminder, due at once');
    await waitFor(() => [...w.slack.messages.values()].find((m) => m.thread_ts && /1 day before instead of 2 days/.test(m.text ?? '')), 15_000, 'the note in the thread');

    await reschedule('2030-08-10', '15:00');
    const today = await waitFor(async () => {
      const d = await detail(iv.id);
      return d.sequence === 2 ? d : null;
    });
    expect(today.reminders.filter((r: any) => r.state === 'scheduled')).toHaveLength(0);
    await waitFor(() => [...w.slack.messages.values()].find((m) => m.thread_ts && /No reminder is possible: the interview starts today/.test(m.text ?? '')), 15_000, 'the no-reminder note in the thread');

    await reschedule('2030-08-26', '10:00');
    const later = await waitFor(async () => {
      const d = await detail(iv.id);
      return d.sequence === 3 ? d : null;
    });
    expect(later.reminders.filter((r: any) => r.state === 'scheduled').map((r: any) => r.scheduledFor)).toEqual(['2030-08-24T07:00:00.000Z']);
  });

  it('a "no" changed to "yes" the day after the reminder went out plans no second one, not even for the day that is left', async () => {
    await w.setClock('2030-09-10T10:00:00Z');
    const a = await candidate(w.app, projectId, 'Sunday', 'Mind');
    const iv = await inviteViaSlack(w, RITA, 'Reminder project', projectId, [a.id], { step1: { date: '2030-09-16', time: '10:00' }, step2: { reminder_option: 'email', reminder_days: '2' } });
    await w.setClock('2030-09-14T07:00:00Z'); // Saturday 09:00 CEST
    await waitFor(async () => (await detail(iv.id)).reminders.some((r: any) => r.state === 'sent'), 15_000, 'the reminder recorded as sent');
    await w.setClock('2030-09-15T05:00:00Z'); // Sunday 07:00: 2 days no longer fits, 1 day would be today at 09:00
    for (const answer of ['no', 'yes']) {
      const { link, csrf } = await confirmPage(w, a.candidate.email);
      expect((await fetch(link, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ answer, csrf }).toString() })).status).toBe(200);
    }
    await w.setClock('2030-09-15T07:30:00Z');
    await new Promise((r) => setTimeout(r, 2500));
    expect(reminderMailsTo(a.candidate.email)).toHaveLength(1);
    expect((await detail(iv.id)).reminders.filter((r: any) => r.state === 'scheduled')).toHaveLength(0);
  });
});
