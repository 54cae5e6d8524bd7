import { Body, Controller, Get, HttpCode, Inject, NotFoundException, Param, ParseIntPipe, Post, Put, Query, UseGuards } from '@nestjs/common';
import { z } from 'zod';
import { CLOCK, Clock, ManualClock } from '../common/clock';
import { ValidationFailed } from '../common/errors';
import { applicationInput, fieldErrors, inviteInput, projectInput, recruiterInput } from '../interviews/directory.inputs';
import { DirectoryService } from '../interviews/directory.service';
import { InterviewsService } from '../interviews/interviews.service';
import { AdminTokenGuard } from './admin-token.guard';

function parse<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  if (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body)) throw new ValidationFailed({ body: 'must be a JSON object (send Content-Type: application/json)' });
  const r = schema.safeParse(body);
  if (!r.success) throw new ValidationFailed(fieldErrors(r.error));
  return r.data;
}

@Controller('api')
@UseGuards(AdminTokenGuard)
export class AdminController {
  constructor(
    private readonly directory: DirectoryService,
    private readonly interviews: InterviewsService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post('recruiters')
  async createRecruiter(@Body() body: unknown) {
    const r = await this.directory.upsertRecruiter(parse(recruiterInput, body));
    return { id: r.id, slackUserId: r.slackUserId, name: r.name, email: r.email, smsAccess: r.smsAccess };
  }

  @Post('projects')
  async createProject(@Body() body: unknown) {
    const p = await this.directory.createProject(parse(projectInput, body));
    return { id: p.id, title: p.title, slackChannelId: p.slackChannelId, defaultLanguage: p.defaultLanguage, senderEmail: p.senderEmail, timezone: p.timezone };
  }

  @Get('projects')
  async listProjects() {
    return (await this.directory.listProjects()).map((p) => ({ id: p.id, title: p.title, slackChannelId: p.slackChannelId, defaultLanguage: p.defaultLanguage, timezone: p.timezone }));
  }

  @Post('projects/:projectId/applications')
  async createApplication(@Param('projectId', ParseIntPipe) projectId: number, @Body() body: unknown) {
    const input = parse(applicationInput, body);
    return this.directory.addApplication(projectId, input);
  }

  @Get('projects/:projectId/applications')
  listApplications(@Param('projectId', ParseIntPipe) projectId: number) {
    return this.directory.listApplications(projectId);
  }

  @Get('interviews')
  async listInterviews(@Query('projectId') projectId?: string) {
    if (!projectId || !/^\d+$/.test(projectId)) throw new ValidationFailed({ projectId: 'is required: /api/interviews?projectId=<id>' });
    await this.directory.getProject(Number(projectId));
    return this.interviews.listInterviews(Number(projectId));
  }

  @Post('interviews')
  async invite(@Body() body: unknown) {
    const { interview } = await this.interviews.inviteFromApi(parse(inviteInput, body));
    return this.interviews.interviewDetail(interview.id);
  }

  @Get('interviews/:id')
  interview(@Param('id', ParseIntPipe) id: number) {
    return this.interviews.interviewDetail(id);
  }

  /** Only with CLOCK=manual: sets the app's clock, for rehearsals and end-to-end tests of the schedule. */
  @Put('clock')
  @HttpCode(200)
  setClock(@Body() body: unknown) {
    if (!(this.clock instanceof ManualClock)) throw new NotFoundException('The clock is the system clock (set CLOCK=manual to control it).');
    const { now } = parse(z.strictObject({ now: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time' }) }), body);
    this.clock.set(new Date(now));
    return { now: this.clock.now().toISOString() };
  }
}

