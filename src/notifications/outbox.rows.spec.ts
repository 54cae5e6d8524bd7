import { DataSource, EntityManager } from 'typeorm';
import { dropDatabase, engine, freshDatabase } from '../../test/support/app';
import { migratedDataSource } from '../../test/support/database';
import { transaction } from '../database/transaction';
import { insertOutboxRows, SettleWhere, settleOutboxRows } from './outbox.rows';
import type { NewOutboxMessage } from './outbox.types';

/** Runs on the suite's engine with the real migrations. */
describe(`outbox rows with a mergeKey (${engine()})`, () => {
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

  const at = (s: number) => new Date(Date.UTC(2031, 2, 4, 9, 0, s));
  const outbox = {
    enqueue: (m: EntityManager, messages: NewOutboxMessage[]) => insertOutboxRows(m, messages, new Date()),
    settle: (m: EntityManager, where: SettleWhere, state: 'cancelled', reason: string) => settleOutboxRows(m, where, state, reason, new Date()),
  };
  const card = (interviewId: number, dueAt: Date): NewOutboxMessage => ({ kind: 'slack.card', channel: 'slack', interviewId, payload: {}, dueAt, mergeKey: `slack.card:${interviewId}` });
  const thread = (interviewId: number, text: string): NewOutboxMessage => ({ kind: 'slack.thread', channel: 'slack', interviewId, payload: { text }, dueAt: at(1) });
  const rows = async (interviewId: number) =>
    (await db.query('SELECT kind, state, dueAt, mergeKey FROM outbox WHERE interviewId = ? ORDER BY kind, id', [interviewId])).map((r: { kind: string; state: string; dueAt: unknown; mergeKey: string | null }) => ({
      kind: r.kind,
      state: r.state,
      dueAt: new Date(engine() === 'mysql' ? (r.dueAt as Date) : `${String(r.dueAt).replace(' ', 'T')}Z`).toISOString(),
      mergeKey: r.mergeKey,
    }));

  it('a row joins the waiting row of its key, within a transaction and across transactions; rows without a key are all kept', async () => {
    const id = nextInterview++;
    await transaction(db, (m) => outbox.enqueue(m, [card(id, at(1)), thread(id, 'Anna: accepted')]));
    await transaction(db, (m) => outbox.enqueue(m, [card(id, at(2)), thread(id, 'Bo: declined')]));
    await transaction(db, async (m) => {
      await outbox.enqueue(m, [card(id, at(3))]);
      await outbox.enqueue(m, [card(id, at(3)), thread(id, 'Cleo: accepted')]);
    });
    await outbox.enqueue(db.manager, [card(id, at(4))]);
    expect(await rows(id)).toEqual([
      { kind: 'slack.card', state: 'scheduled', dueAt: at(1).toISOString(), mergeKey: `slack.card:${id}` },
      ...['Anna', 'Bo', 'Cleo'].map(() => ({ kind: 'slack.thread', state: 'scheduled', dueAt: at(1).toISOString(), mergeKey: null })),
    ]);
  });

  it('keys are per interview', async () => {
    const [a, b] = [nextInterview++, nextInterview++];
    await transaction(db, (m) => outbox.enqueue(m, [card(a, at(1)), card(b, at(1)), card(a, at(1))]));
    expect((await rows(a)).length).toBe(1);
    expect((await rows(b)).length).toBe(1);
  });

  it('a row settled without being sent gives up its key: what comes after it is a row of its own', async () => {
    const id = nextInterview++;
    await transaction(db, (m) => outbox.enqueue(m, [card(id, at(1))]));
    await transaction(db, (m) => outbox.settle(m, { interviewId: id, kinds: ['slack.card'] }, 'cancelled', 'the interview was cancelled'));
    await transaction(db, (m) => outbox.enqueue(m, [card(id, at(5))]));
    expect(await rows(id)).toEqual([
      { kind: 'slack.card', state: 'cancelled', dueAt: at(1).toISOString(), mergeKey: null },
      { kind: 'slack.card', state: 'scheduled', dueAt: at(5).toISOString(), mergeKey: `slack.card:${id}` },
    ]);
  });
});
