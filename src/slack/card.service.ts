import { Inject, Injectable } from '@nestjs/common';
import { Between, DataSource, In } from 'typeorm';
import { CLOCK, Clock } from '../common/clock';
import { Interview } from '../interviews/entities/interview.entity';
import { Invitation } from '../interviews/entities/invitation.entity';
import { candidateName } from '../interviews/interviews.service';
import { OutboxMessage } from '../notifications/outbox.entity';
import type { CalendarItem } from './views/calendar.view';
import type { CardCandidate, CardModel } from './views/card.view';
import { findUnique } from '../database/find-unique';

const BAD_DELIVERY = new Set(['bounced', 'dropped', 'undelivered', 'failed']);

/** Reads the current state of an interview into the card's view model (the card is always rendered from the database). */
@Injectable()
export class CardService {
  constructor(
    private readonly db: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** The card's view model and the interview it was read from (for where the card is posted). */
  async cardModel(interviewId: number): Promise<{ model: CardModel; interview: Interview } | null> {
    const interview = await findUnique(this.db.getRepository(Interview), { where: { id: interviewId }, relations: { project: true } });
    if (!interview) return null;
    const invitations = await this.db.getRepository(Invitation).find({ where: { interviewId }, relations: { candidate: true }, order: { id: 'ASC' } });
    // Sorted here: with ORDER BY id, MariaDB on stale figures walked the whole outbox in id order instead of the
    // interview's rows by (interviewId, channel, state).
    const messages = (
      await this.db.getRepository(OutboxMessage).find({
        where: { interviewId, channel: In(['email', 'sms']) },
        select: { id: true, kind: true, channel: true, invitationId: true, state: true, dueAt: true, deliveryStatus: true },
      })
    ).sort((a, b) => a.id - b.id);
    const delivery = new Map<number, CardCandidate['delivery']>();
    let emailsTotal = 0;
    let emailsDone = 0;
    let nextReminder: Date | null = null;
    for (const m of messages) {
      if (m.kind === 'email.invitation' && m.state !== 'cancelled') {
        emailsTotal++;
        if (m.state !== 'scheduled') emailsDone++;
      }
      if (m.kind.startsWith('reminder.') && m.state === 'scheduled' && (!nextReminder || m.dueAt < nextReminder)) nextReminder = m.dueAt;
      if (!m.invitationId || m.channel === 'slack') continue;
      if (m.state === 'failed') delivery.set(m.invitationId, 'failed');
      else if (m.deliveryStatus && BAD_DELIVERY.has(m.deliveryStatus)) delivery.set(m.invitationId, m.deliveryStatus === 'dropped' ? 'bounced' : (m.deliveryStatus as CardCandidate['delivery']));
      else if (m.deliveryStatus === 'delivered' && m.kind === 'email.invitation' && !delivery.get(m.invitationId)) delivery.set(m.invitationId, 'delivered');
    }
    const model: CardModel = {
      interviewId: interview.id,
      type: interview.type,
      projectTitle: interview.project!.title,
      startsAt: interview.startsAt,
      durationMinutes: interview.durationMinutes,
      timezone: interview.timezone,
      location: interview.location,
      recruiterIds: interview.recruiterIds,
      status: interview.status,
      reminder: { option: interview.reminder.option, days: interview.reminder.days, dueAt: nextReminder },
      candidates: invitations.map((i) => ({
        name: candidateName(i.candidate!),
        status: i.status,
        answerChannel: i.answerChannel,
        answeredAt: i.answeredAt,
        note: i.answerNote,
        delivery: delivery.get(i.id) ?? null,
      })),
      progress: emailsTotal > 20 && emailsDone < emailsTotal ? { sent: emailsDone, total: emailsTotal } : null,
    };
    return { model, interview };
  }

  /** The recruiter's interviews of the next 14 days with each candidate's status and the next reminder. */
  async calendar(slackUserId: string, days = 14): Promise<CalendarItem[]> {
    const now = this.clock.now();
    const until = new Date(now.getTime() + days * 86_400_000);
    const interviews = await this.db.getRepository(Interview).find({ where: { startsAt: Between(now, until), status: 'scheduled' }, relations: { project: true }, order: { startsAt: 'ASC' } });
    const mine = interviews.filter((i) => i.createdBy === slackUserId || i.recruiterIds.includes(slackUserId)).slice(0, 40);
    if (!mine.length) return [];
    const ids = mine.map((i) => i.id);
    const invitations = await this.db.getRepository(Invitation).find({ where: { interviewId: In(ids) }, relations: { candidate: true }, order: { id: 'ASC' } });
    const reminders = await this.db.getRepository(OutboxMessage).find({ where: { interviewId: In(ids), state: 'scheduled' }, select: { id: true, kind: true, interviewId: true, dueAt: true } });
    return mine.map((iv) => ({
      interviewId: iv.id,
      type: iv.type,
      projectTitle: iv.project!.title,
      startsAt: iv.startsAt,
      timezone: iv.timezone,
      candidates: invitations.filter((i) => i.interviewId === iv.id).map((i) => ({ name: candidateName(i.candidate!), status: i.status })),
      nextReminder:
        reminders
          .filter((r) => r.interviewId === iv.id && r.kind.startsWith('reminder.'))
          .map((r) => r.dueAt)
          .sort((a, b) => a.getTime() - b.getTime())[0] ?? null,
    }));
  }
}
