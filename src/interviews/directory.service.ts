import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In } from 'typeorm';
import { CLOCK, Clock } from '../common/clock';
import { TtlCache } from '../common/ttl-cache';
import { PreparedSelect } from '../database/prepared-select';
import { transaction } from '../database/transaction';
import { NotFound, ValidationFailed } from '../common/errors';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config.schema';
import { normaliseEmail, normaliseMobile } from './contact.rules';
import { ApplicationInput, ProjectInput, RecruiterInput } from './directory.inputs';
import { Application } from './entities/application.entity';
import { Candidate } from './entities/candidate.entity';
import { Project } from './entities/project.entity';
import { Recruiter } from './entities/recruiter.entity';

export interface ApplicationView {
  id: number;
  candidateId: number;
  status: string;
  candidate: { firstName: string; lastName: string; email: string; mobile: string | null; language: string };
}

/** A project's applications with their candidates, in id order (each /invite reads them); parameter: project id. */
const APPLICATIONS_OF = new PreparedSelect<Application>((db) =>
  db.getRepository(Application).createQueryBuilder('a').innerJoinAndSelect('a.candidate', 'c').where('a.projectId = :projectId', { projectId: 'projectId' }).orderBy('a.id', 'ASC'),
);

/** How long a recruiter or the project list read from the database is trusted (other instances' changes show within this). */
const RECRUITER_TTL_MS = 5_000;
/** Projects are never changed after they are created; the limit only bounds memory and a deleted row's afterlife. */
const PROJECT_TTL_MS = 60_000;
/**
 * A cached recruiter or project older than this is read again in the background while the cached one is served:
 * Slack requests of a recruiter at work never wait for the database to confirm who they are.
 */
const REFRESH_AFTER_MS = 2_000;
/**
 * Applications the invite modal listed or showed are kept for its later steps: step 2 is built from them, and
 * `invite()` stores the invitation with them and checks them against the rows in the same round trip, reading
 * afresh if anything changed.
 */
const SHOWN_TTL_MS = 15 * 60_000;
/**
 * Recruiters, projects, candidates and applications: what the operator feeds in. Every Slack request checks its
 * recruiter and most read a project, so both are kept for a few seconds (found rows only: a recruiter registered
 * a moment ago is never refused).
 */
@Injectable()
export class DirectoryService {
  private readonly recruiters = new TtlCache<string, Recruiter>(RECRUITER_TTL_MS);
  private readonly projects = new TtlCache<number, Project>(PROJECT_TTL_MS);
  /** The list /invite offers; a project created on another instance shows within RECRUITER_TTL_MS. */
  private readonly projectList = new TtlCache<0, Project[]>(RECRUITER_TTL_MS);
  private readonly shown = new TtlCache<number, Application>(SHOWN_TTL_MS);

  constructor(
    private readonly db: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async upsertRecruiter(input: RecruiterInput): Promise<Recruiter> {
    const repo = this.db.getRepository(Recruiter);
    const existing = await repo.findOneBy({ slackUserId: input.slackUserId });
    if (existing) Object.assign(existing, { name: input.name, email: normaliseEmail(input.email), smsAccess: input.smsAccess });
    const saved = await repo.save(existing ?? repo.create({ ...input, email: normaliseEmail(input.email), createdAt: this.clock.now() }));
    return this.recruiters.set(saved.slackUserId, saved);
  }

  async findRecruiter(slackUserId: string): Promise<Recruiter | null> {
    const load = async () => (await this.db.getRepository(Recruiter).findOneBy({ slackUserId })) ?? undefined;
    return (await this.recruiters.through(slackUserId, load, REFRESH_AFTER_MS)) ?? null;
  }

  findRecruiters(slackUserIds: string[]): Promise<Recruiter[]> {
    return slackUserIds.length ? this.db.getRepository(Recruiter).findBy({ slackUserId: In(slackUserIds) }) : Promise.resolve([]);
  }

  async createProject(input: ProjectInput): Promise<Project> {
    const repo = this.db.getRepository(Project);
    const saved = await repo.save(
      repo.create({
        title: input.title,
        slackChannelId: input.slackChannelId,
        defaultLanguage: input.defaultLanguage,
        senderEmail: input.senderEmail ? normaliseEmail(input.senderEmail) : null,
        timezone: input.timezone ?? this.config.reminder.zone,
        createdAt: this.clock.now(),
      }),
    );
    this.projectList.clear();
    return saved;
  }

  async getProject(id: number): Promise<Project> {
    const p = await this.findProject(id);
    if (!p) throw new NotFound(`Project ${id}`);
    return p;
  }

  async findProject(id: number): Promise<Project | null> {
    if (!Number.isSafeInteger(id)) return null;
    const load = async () => (await this.db.getRepository(Project).findOneBy({ id })) ?? undefined;
    return (await this.projects.through(id, load, PROJECT_TTL_MS / 2)) ?? null;
  }

  async listProjects(): Promise<Project[]> {
    return (await this.projectList.through(0, () => this.db.getRepository(Project).find({ order: { title: 'ASC' } }), REFRESH_AFTER_MS))!;
  }

  /** Creates (or reuses, by email) the candidate and applies them to the project. Throws ValidationFailed naming bad fields. */
  async addApplication(projectId: number, input: ApplicationInput, manager: EntityManager = this.db.manager): Promise<ApplicationView> {
    const project = await manager.getRepository(Project).findOneBy({ id: projectId });
    if (!project) throw new NotFound(`Project ${projectId}`);
    const mobile = this.mobileOrThrow(input.mobile);
    const email = normaliseEmail(input.email);
    const now = this.clock.now();
    const candidates = manager.getRepository(Candidate);
    let candidate = await candidates.findOneBy({ email });
    if (candidate) {
      candidate.firstName = input.firstName;
      candidate.lastName = input.lastName;
      if (mobile) candidate.mobile = mobile;
      if (input.language) candidate.language = input.language;
      await candidates.save(candidate);
    } else {
      candidate = await candidates.save(
        candidates.create({ firstName: input.firstName, lastName: input.lastName, email, mobile, language: input.language ?? project.defaultLanguage, createdAt: now }),
      );
    }
    const apps = manager.getRepository(Application);
    let app = await apps.findOneBy({ projectId, candidateId: candidate.id });
    if (!app) app = await apps.save(apps.create({ projectId, candidateId: candidate.id, status: 'active', createdAt: now, updatedAt: now }));
    return toView(app, candidate);
  }

  async addApplications(projectId: number, inputs: ApplicationInput[]): Promise<ApplicationView[]> {
    await this.getProject(projectId);
    return transaction(this.db, async (m) => {
      const out: ApplicationView[] = [];
      for (const input of inputs) out.push(await this.addApplication(projectId, input, m));
      return out;
    });
  }

  mobileOrThrow(mobile: string | null | undefined, field = 'mobile'): string | null {
    if (mobile == null || mobile.trim() === '') return null;
    const parsed = normaliseMobile(mobile, this.config.defaultPhoneRegion);
    if (!parsed.ok) throw new ValidationFailed({ [field]: parsed.message });
    return parsed.e164;
  }

  /**
   * The project's applications with these ids. With `readWithinMs`, rows this instance read that recently (when
   * /invite listed them, say) stand in for a read; whoever stores anything with them checks them again.
   */
  async applicationsById(projectId: number, ids: number[], readWithinMs?: number): Promise<ApplicationView[]> {
    if (!ids.length) return [];
    const unique = [...new Set(ids)];
    const recent = readWithinMs === undefined ? null : this.shownApplications(projectId, unique, readWithinMs);
    const apps =
      recent?.sort((a, b) => a.id - b.id) ??
      this.remember(await this.db.getRepository(Application).find({ where: { projectId, id: In(unique) }, relations: { candidate: true }, order: { id: 'ASC' } }));
    return apps.map((a) => toView(a, a.candidate!));
  }

  /** The applications read lately (a snapshot to be checked before use), if all of them were read, for this project. */
  shownApplications(projectId: number, ids: number[], maxAgeMs?: number): Application[] | null {
    const out: Application[] = [];
    for (const id of ids) {
      const a = this.shown.get(id, maxAgeMs);
      if (!a || a.projectId !== projectId) return null;
      out.push(a);
    }
    return out;
  }

  private remember(apps: Application[]): Application[] {
    for (const a of apps) this.shown.set(a.id, a);
    return apps;
  }

  async listApplications(projectId: number): Promise<ApplicationView[]> {
    await this.getProject(projectId);
    return this.applicationsOf(projectId);
  }

  /** The applications of a project the caller has just read. */
  async applicationsOf(projectId: number): Promise<ApplicationView[]> {
    const apps = this.remember(await APPLICATIONS_OF.many(this.db, [projectId]));
    return apps.map((a) => toView(a, a.candidate!));
  }
}

function toView(app: Application, c: Candidate): ApplicationView {
  return {
    id: app.id,
    candidateId: c.id,
    status: app.status,
    candidate: { firstName: c.firstName, lastName: c.lastName, email: c.email, mobile: c.mobile, language: c.language },
  };
}
