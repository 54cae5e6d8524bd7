import { DataSource } from 'typeorm';
import { dropDatabase, engine, freshDatabase } from '../../../test/support/app';
import { migratedDataSource } from '../../../test/support/database';
import { OutboxPlannerStats1795580000000 } from './1795580000000-outbox-planner-stats';

const ids = (n: number) => Array.from({ length: n }, () => '?').join(', ');

/** The shapes of the outbox statements that pick rows by a list of ids (the dispatcher, the Slack handler, settle, the card). */
const BY_ID_LIST = {
  'recording sends': `UPDATE outbox SET state = 'sent', leaseOwner = NULL WHERE id IN (${ids(32)}) AND leaseOwner = ? AND state = 'scheduled'`,
  'renewing leases': `UPDATE outbox SET leaseUntil = ? WHERE id IN (${ids(500)}) AND leaseOwner = ? AND state = 'scheduled'`,
  'covered card edits': `UPDATE outbox SET state = 'sent' WHERE id IN (${ids(40)}) AND kind = 'slack.card' AND state = 'scheduled' AND leaseOwner IS NULL`,
};

// MySQL and MariaDB plan from statistics of their own; the migration only concerns SQLite.
(engine() === 'sqlite' ? describe : describe.skip)('SQLite query plans of the outbox (real migrations)', () => {
  let db: DataSource;
  let url: string;

  beforeAll(async () => {
    url = await freshDatabase();
    db = await migratedDataSource(url);
  });
  afterAll(async () => {
    await db?.destroy();
    await dropDatabase(url);
  });

  async function plan(sql: string): Promise<string> {
    const n = sql.split('?').length - 1;
    const rows: { detail: string }[] = await db.query(`EXPLAIN QUERY PLAN ${sql}`, Array.from({ length: n }, () => 1));
    return rows.map((r) => r.detail).join(' | ');
  }

  it.each(Object.entries(BY_ID_LIST))('%s looks rows up by id, not through every scheduled row', async (_name, sql) => {
    expect(await plan(sql)).toMatch(/USING INTEGER PRIMARY KEY/);
  });

  it('settling the reminders of several invitations goes by invitation', async () => {
    expect(await plan(`UPDATE outbox SET state = 'skipped' WHERE state = 'scheduled' AND kind IN (?, ?) AND invitationId IN (${ids(20)})`)).toMatch(/USING INDEX \S+ \(invitationId=\?\)/);
  });

  it("the cards' reminders of several interviews are found by interview", async () => {
    expect(await plan(`SELECT id, kind, interviewId FROM outbox WHERE interviewId IN (${ids(20)}) AND state = 'scheduled'`)).toMatch(/USING INDEX \S+ \(interviewId=\?\)/);
  });

  it("a card's render reads its interview's email and SMS rows and its waiting edits, not every Slack row it has had", async () => {
    expect(await plan("SELECT id FROM outbox WHERE interviewId = ? AND channel IN ('email', 'sms')")).toMatch(/USING (COVERING )?INDEX \S+ \(interviewId=\? AND channel=\?\)/);
    expect(await plan("SELECT id FROM outbox WHERE interviewId = ? AND channel = 'slack' AND state = 'scheduled' AND kind = 'slack.card' AND leaseOwner IS NULL")).toMatch(
      /USING (COVERING )?INDEX \S+ \(interviewId=\? AND channel=\? AND state=\?\)/,
    );
  });

  it("replaces figures an operator's ANALYZE measured on a young outbox", async () => {
    await db.query(`INSERT INTO outbox (kind, channel, payload, dueAt, state, attempts, createdAt, updatedAt) VALUES ${Array.from({ length: 40 }, () => "('email.invitation', 'email', '{}', '2031-01-01 00:00:00.000', 'sent', 1, '2031-01-01 00:00:00.000', '2031-01-01 00:00:00.000')").join(', ')}`);
    await db.query('ANALYZE outbox');
    expect(await plan(BY_ID_LIST['recording sends'])).not.toMatch(/USING INTEGER PRIMARY KEY/);
    const qr = db.createQueryRunner();
    try {
      await new OutboxPlannerStats1795580000000().up(qr);
    } finally {
      await qr.release();
    }
    for (const sql of Object.values(BY_ID_LIST)) expect(await plan(sql)).toMatch(/USING INTEGER PRIMARY KEY/);
  });

  it('a claim still walks the due rows in order through the (state, dueAt) index', async () => {
    const claim = "SELECT id FROM outbox WHERE state = 'scheduled' AND dueAt <= ? AND (leaseUntil IS NULL OR leaseUntil < ?) ORDER BY dueAt LIMIT ?";
    expect(await plan(claim)).toMatch(/USING INDEX \S+ \(state=\? AND dueAt<\?\)/);
  });
});
