import { DataSource, EntityManager } from 'typeorm';
import { dropDatabase, engine, freshDatabase } from '../../test/support/app';
import { migratedDataSource } from '../../test/support/database';
import { transaction } from '../database/transaction';
import { insertOutboxRows, settleOutboxRows } from './outbox.rows';
import type { NewOutboxMessage } from './outbox.types';

/** Runs on the suite's engine with the real migrations. */
describe(`outbox rows (${engine()})`, () => {
  let db: DataSource;
  let url: string;
  let nextInterview = 1;

  beforeAll(async () => {
    url = await freshDatabase();
    db = await migratedDataSource(url);
  });
  afterAll(async () => {
    await db?.destroy();
    await dropDatabase(url);
  });

  const at = new Date(Date.UTC(2031, 2, 4, 9, 0, 0));
  const enqueue = (m: EntityManager, messages: NewOutboxMessage[]) => insertOutboxRows(m, messages, new Date());
  const row = (interviewId: number, kind: string, invitationId: number | null, settled?: NewOutboxMessage['settled']): NewOutboxMessage => ({
    kind,
    channel: kind.endsWith('sms') ? 'sms' : kind.startsWith('slack') ? 'slack' : 'email',
    interviewId,
    invitationId,
    payload: { text: `${kind} ${invitationId}` },
    dueAt: at,
    settled,
  });
  const rows = async (interviewId: number) =>
    (await db.query('SELECT kind, invitationId, state, lastError, payload FROM outbox WHERE interviewId = ? ORDER BY id', [interviewId])).map(
      (r: { kind: string; invitationId: number | null; state: string; lastError: string | null; payload: string }) => [r.kind, r.invitationId, r.state, r.lastError, JSON.parse(r.payload).text],
    );

  it('writes each row as given, with its payload as JSON and a settled row in its state with its reason', async () => {
    const id = nextInterview++;
    await transaction(db, (m) => enqueue(m, [row(id, 'reminder.email', 11), row(id, 'reminder.sms', 11, { state: 'skipped', reason: 'the candidate has no mobile number' }), row(id, 'slack.card', null)]));
    expect(await rows(id)).toEqual([
      ['reminder.email', 11, 'scheduled', null, 'reminder.email 11'],
      ['reminder.sms', 11, 'skipped', 'the candidate has no mobile number', 'reminder.sms 11'],
      ['slack.card', null, 'scheduled', null, 'slack.card null'],
    ]);
  });

  it('writes more rows than one statement takes', async () => {
    const id = nextInterview++;
    await transaction(db, (m) => enqueue(m, Array.from({ length: 450 }, (_, i) => row(id, 'email.invitation', i + 1))));
    const written = await rows(id);
    expect(written.map((r: unknown[]) => r[1])).toEqual(Array.from({ length: 450 }, (_, i) => i + 1));
  });

  it("settles only the scheduled rows of the kinds and invitations named; others' rows and other kinds are left alone", async () => {
    const id = nextInterview++;
    await enqueue(db.manager, [row(id, 'reminder.email', 21), row(id, 'reminder.sms', 21), row(id, 'reminder.email', 22), row(id, 'reminder.email', 23), row(id, 'slack.thread', 21), row(id, 'reminder.email', 24, { state: 'skipped', reason: 'earlier reason' })]);
    await transaction(db, (m) => settleOutboxRows(m, { invitationIds: [21, 22, 24], kinds: ['reminder.email', 'reminder.sms'] }, 'skipped', 'declined', new Date()));
    expect((await rows(id)).map((r: unknown[]) => r.slice(0, 4))).toEqual([
      ['reminder.email', 21, 'skipped', 'declined'],
      ['reminder.sms', 21, 'skipped', 'declined'],
      ['reminder.email', 22, 'skipped', 'declined'],
      ['reminder.email', 23, 'scheduled', null],
      ['slack.thread', 21, 'scheduled', null],
      ['reminder.email', 24, 'skipped', 'earlier reason'],
    ]);
  });

  it('settles by interview, and an empty list of invitations settles nothing', async () => {
    const [a, b] = [nextInterview++, nextInterview++];
    await enqueue(db.manager, [row(a, 'reminder.email', 31), row(b, 'reminder.email', 32)]);
    await settleOutboxRows(db.manager, { invitationIds: [], kinds: ['reminder.email'] }, 'cancelled', 'nothing', new Date());
    await settleOutboxRows(db.manager, { interviewId: a, kinds: ['reminder.email'] }, 'cancelled', 'the interview was cancelled', new Date());
    expect((await rows(a)).map((r: unknown[]) => r[2])).toEqual(['cancelled']);
    expect((await rows(b)).map((r: unknown[]) => r[2])).toEqual(['scheduled']);
  });
});
