import { Body, Controller, Get, Inject, Param, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import { createHash } from 'node:crypto';
import { CLOCK, Clock } from '../common/clock';
import { Answer } from '../common/domain';
import { sendBody } from '../common/send-body';
import { InterviewsService } from '../interviews/interviews.service';
import { InvitationContext, InvitationMailer } from '../interviews/invitation-mailer.service';
import { ANSWER_FIELD, CONFIRM_FIELD, CSRF_FIELD, ConfirmPageModel, ConfirmPageNotice, renderConfirmPage, renderNotFoundPage, renderWithdrawConfirmPage } from './confirm-page.view';

const ANSWERS: Answer[] = ['yes', 'no', 'new_time', 'withdraw'];

const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-robots-tag': 'noindex',
};

/** The candidate's page. A GET never changes anything (mail scanners open links); only the page's buttons (POST) do. */
@Controller('r')
export class ConfirmController {
  constructor(
    private readonly interviews: InterviewsService,
    private readonly mailer: InvitationMailer,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  private send(res: Response, status: number, html: string) {
    sendBody(res, status, PAGE_HEADERS, html);
  }

  private async load(token: string): Promise<{ ctx: InvitationContext; model: ConfirmPageModel } | null> {
    const found = await this.interviews.findInvitationByToken(token);
    if (!found) return null;
    const ctx = await this.mailer.contextOf(found.invitation);
    return { ctx, model: this.modelOf(ctx, token) };
  }

  private modelOf(ctx: InvitationContext, token: string): ConfirmPageModel {
    const { invitation, interview, candidate, project } = ctx;
    const state = interview.status === 'cancelled' || invitation.status === 'cancelled' ? 'cancelled' : invitation.status === 'withdrawn' ? 'withdrawn' : interview.startsAt <= this.clock.now() ? 'closed_started' : 'open';
    return {
      language: candidate.language,
      token,
      candidateFirstName: candidate.firstName,
      projectTitle: project.title,
      type: interview.type,
      startsAt: interview.startsAt,
      durationMinutes: interview.durationMinutes,
      timezone: interview.timezone,
      location: interview.location,
      recruiterNames: ctx.recruiterNames,
      status: invitation.status,
      state,
      csrf: csrfFor(token),
    };
  }

  @Get(':token')
  async show(@Param('token') token: string, @Res() res: Response) {
    const loaded = await this.load(token);
    if (!loaded) return this.send(res, 404, renderNotFoundPage());
    this.send(res, 200, renderConfirmPage(loaded.model));
  }

  @Post(':token')
  async answer(@Param('token') token: string, @Body() body: Record<string, string>, @Res() res: Response) {
    const loaded = await this.load(token);
    if (!loaded) return this.send(res, 404, renderNotFoundPage());
    const { ctx, model } = loaded;
    const answer = body?.[ANSWER_FIELD] as Answer;
    if (!ANSWERS.includes(answer) || body?.[CSRF_FIELD] !== model.csrf) return this.send(res, 400, renderConfirmPage(model, { kind: 'refused' }));
    if (answer === 'withdraw' && body[CONFIRM_FIELD] !== 'yes' && model.state === 'open') return this.send(res, 200, renderWithdrawConfirmPage(model));
    const outcome = await this.interviews.applyAnswer({ invitationId: ctx.invitation.id, answer, channel: 'link', raw: answer, token }, ctx);
    const after = outcome.kind === 'refused' ? ((await this.load(token))?.model ?? model) : this.modelOf({ ...ctx, invitation: Object.assign(Object.create(Object.getPrototypeOf(ctx.invitation)), ctx.invitation, { status: outcome.status }) }, token);
    const notice: ConfirmPageNotice = outcome.kind === 'refused' ? { kind: 'refused' } : { kind: outcome.kind, answer };
    this.send(res, outcome.kind === 'refused' ? 409 : 200, renderConfirmPage(after, notice));
  }
}

/** Ties the page's form to its link, so that only a form served for this token is taken. */
function csrfFor(token: string): string {
  return createHash('sha256').update(`kallelse-form:${token}`).digest('base64url').slice(0, 22);
}
