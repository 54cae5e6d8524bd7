import { DataSource } from 'typeorm';
import { dropDatabase, engine, freshDatabase } from '../../test/support/app';
import { migratedDataSource } from '../../test/support/database';
import { Application } from '../interviews/entities/application.entity';
import { Candidate } from '../interviews/entities/candidate.entity';
import { Interview } from '../interviews/entities/interview.entity';
import { Invitation } from '../interviews/entities/invitation.entity';
import { Project } from '../interviews/entities/project.entity';
import { PreparedSelect } from './prepared-select';
import { BatchedSelect } from './batched-select';
import { dbDate } from './db-date';

/** Runs on the suite's engine with the real migrations: the plan-based hydration must give what TypeORM gives. */
describe(`PreparedSelect and BatchedSelect (${engine()})`, () => {
  let db: DataSource;
  let url: string;
  const at = new Date('2031-03-04T09:30:15.250Z');

  const byId = new PreparedSelect<Invitation>((d) =>
    d.getRepository(Invitation).createQueryBuilder('i').leftJoinAndSelect('i.candidate', 'c').leftJoinAndSelect('i.interview', 'iv').leftJoinAndSelect('iv.project', 'p').where('i.id = :id', { id: '' }),
  );
  const interviewWithInvitations = new PreparedSelect<Interview>((d) => d.getRepository(Interview).createQueryBuilder('iv').leftJoinAndSelect('iv.project', 'p').where('iv.id = :id', { id: '' }));

  const byToken = new BatchedSelect<Invitation>(
    (d, hashes) => d.getRepository(Invitation).createQueryBuilder('i').leftJoinAndSelect('i.candidate', 'c').where('i.tokenHash IN (:...hashes)', { hashes }).andWhere('i.createdAt = :at', { at: '' }),
    (i) => i.tokenHash,
  );

  beforeAll(async () => {
    url = await freshDatabase();
    db = await migratedDataSource(url);
  });
  afterAll(async () => {
    await db?.destroy();
    await dropDatabase(url);
  });

  async function seed(tag: string, answered: boolean) {
    const project = await db.getRepository(Project).save({ title: `Lagerchef ${tag} — Göteborg`, slackChannelId: 'C0HIRING1', defaultLanguage: 'sv', senderEmail: null, timezone: 'Europe/Stockholm', createdAt: at });
    const candidate = await db.getRepository(Candidate).save({ firstName: 'Åsa', lastName: 'אברהם 🎉', email: `asa.${tag}@example.com`, mobile: answered ? '+46701234567' : null, language: 'sv', createdAt: at });
    const application = await db.getRepository(Application).save({ projectId: project.id, candidateId: candidate.id, status: 'invited', createdAt: at, updatedAt: at });
    const interview = await db.getRepository(Interview).save({
      projectId: project.id,
      type: 'phone',
      startsAt: at,
      durationMinutes: 45,
      timezone: 'Europe/Stockholm',
      location: answered ? 'Rum 4' : null,
      createdBy: 'U0RITA',
      recruiterIds: ['U0RITA', 'U0BO'],
      sendEmail: true,
      confirmLink: false,
      senderEmail: 'jobs@example.com',
      templates: { sv: { subject: 'Hej {förnamn}', content: 'Välkommen' } },
      reminder: { option: 'sms', days: 2, subject: '', content: 'Påminnelse', signature: '/Rita' },
      status: 'scheduled',
      sequence: 3,
      slackChannel: null,
      slackTs: answered ? '1700000000.000100' : null,
      createdAt: at,
      updatedAt: at,
    });
    const invitation = await db.getRepository(Invitation).save({
      interviewId: interview.id,
      applicationId: application.id,
      candidateId: candidate.id,
      status: answered ? 'accepted' : 'pending',
      tokenHash: `${tag}`.padEnd(64, '0'),
      ref: tag.slice(0, 8),
      answeredAt: answered ? at : null,
      answerChannel: answered ? 'sms' : null,
      answerNote: answered ? 'JA 👍' : null,
      createdAt: at,
      updatedAt: at,
    });
    return invitation.id;
  }

  it('hydrates a joined row exactly as TypeORM loads it: dates, booleans, JSON, nulls, Unicode, nested relations', async () => {
    for (const [tag, answered] of [['aaa1', true], ['bbb2', false]] as const) {
      const id = await seed(tag, answered);
      const [fast] = await byId.many(db, [id]);
      const typeorm = await db.getRepository(Invitation).findOneOrFail({ where: { id }, relations: { candidate: true, interview: { project: true } } });
      expect(fast).toBeInstanceOf(Invitation);
      expect(fast.interview).toBeInstanceOf(Interview);
      expect(fast.interview!.project).toBeInstanceOf(Project);
      expect(fast).toEqual(typeorm);
      expect(fast.interview!.startsAt.getTime()).toBe(at.getTime());
      expect(fast.interview!.sendEmail).toBe(true);
      expect(fast.interview!.confirmLink).toBe(false);
      expect(fast.interview!.recruiterIds).toEqual(['U0RITA', 'U0BO']);
    }
  });

  it('returns nothing for no rows, and one entity per row for a to-one join', async () => {
    expect(await byId.many(db, [-1])).toEqual([]);
    const id = await seed('ccc3', true);
    const inv = await db.getRepository(Invitation).findOneByOrFail({ id });
    const [fast] = await interviewWithInvitations.many(db, [inv.interviewId]);
    expect(fast).toEqual(await db.getRepository(Interview).findOneOrFail({ where: { id: inv.interviewId }, relations: { project: true } }));
  });

  it('BatchedSelect: reads asked for in one turn each get the rows of their own key (on MariaDB in one query), also a key read twice', async () => {
    const tags = ['ddd1', 'eee2', 'fff3', 'ggg4', 'hhh5'];
    for (const t of tags) await seed(t, true);
    const query = jest.spyOn(db, 'query');
    const keys = [...tags.map((t) => t.padEnd(64, '0')), 'none'.padEnd(64, '0'), 'eee2'.padEnd(64, '0')];
    const results = await Promise.all(keys.map((k) => byToken.load(db, k, () => [dbDate(db, at)])));
    const calls = query.mock.calls.length;
    query.mockRestore();
    expect(results.map((r) => r.map((i) => i.tokenHash))).toEqual(keys.map((k, i) => (i === 5 ? [] : [k])));
    expect(results[1][0].candidate).toBeInstanceOf(Candidate);
    expect(results[6][0]).toEqual(results[1][0]);
    expect(results[6][0]).not.toBe(results[1][0]);
    // One query for the batch, and one for the second read of a key (each caller gets entities of its own).
    if (engine() === 'mysql') expect(calls).toBe(2);
  });

  it('BatchedSelect: a batch that cannot run fails each read in it', async () => {
    const broken = () => {
      throw new Error('no parameters');
    };
    const reads = ['iii1', 'jjj2'].map((k) => byToken.load(db, k.padEnd(64, '0'), broken).then(() => 'read', (err: Error) => err.message));
    expect(await Promise.all(reads)).toEqual(['no parameters', 'no parameters']);
  });
});
