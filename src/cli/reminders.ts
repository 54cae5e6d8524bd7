import 'reflect-metadata';
import { DateTime } from 'luxon';
import { In, LessThanOrEqual } from 'typeorm';
import dataSource from '../database/data-source.cli';
import { Invitation } from '../interviews/entities/invitation.entity';
import { SmsNumber } from '../interviews/entities/sms-number.entity';
import { candidateName } from '../interviews/interviews.service';
import { OutboxMessage } from '../notifications/outbox.entity';
import { reminderSkipReason } from '../reminders/reminder-skip.rules';
import { REMINDER_KINDS } from '../reminders/reminder-scheduler.listener';

const USAGE = 'Usage: npm run reminders -- --at <ISO time, e.g. 2026-12-05T09:00+01:00> [--json]';

/** `npm run reminders -- --at <ISO>`: what the sweep would send at that moment, and what it would skip and why. Sends nothing. */
async function main() {
  const args = process.argv.slice(2);
  const atArg = args[args.indexOf('--at') + 1];
  if (!args.includes('--at') || !atArg) throw new UsageError(USAGE);
  const parsed = DateTime.fromISO(atArg, { setZone: true });
  if (!parsed.isValid) throw new UsageError(`"${atArg}" is not an ISO time. ${USAGE}`);
  const at = parsed.toJSDate();
  await dataSource.initialize();
  try {
    const due = await dataSource.getRepository(OutboxMessage).find({ where: { state: 'scheduled', kind: In(REMINDER_KINDS), dueAt: LessThanOrEqual(at) }, order: { dueAt: 'ASC', id: 'ASC' } });
    const invitations = due.length
      ? await dataSource.getRepository(Invitation).find({ where: { id: In([...new Set(due.map((d) => d.invitationId!))]) }, relations: { candidate: true, interview: { project: true } } })
      : [];
    const byId = new Map(invitations.map((i) => [i.id, i]));
    const mobiles = [...new Set(invitations.map((i) => i.candidate!.mobile).filter((m): m is string => !!m))];
    const optedOut = new Set((mobiles.length ? await dataSource.getRepository(SmsNumber).findBy({ phone: In(mobiles), optedOut: true }) : []).map((n) => n.phone));
    const rows = due.map((d) => {
      const inv = byId.get(d.invitationId!);
      const skip = inv
        ? reminderSkipReason(
            { channel: d.channel === 'sms' ? 'sms' : 'email', interviewStatus: inv.interview!.status, invitationStatus: inv.status, startsAt: inv.interview!.startsAt, mobile: inv.candidate!.mobile, optedOut: !!inv.candidate!.mobile && optedOut.has(inv.candidate!.mobile) },
            at,
          )
        : 'the invitation no longer exists';
      return {
        outboxId: d.id,
        kind: d.kind,
        dueAt: d.dueAt.toISOString(),
        interviewId: d.interviewId,
        project: inv?.interview?.project?.title ?? null,
        candidate: inv ? candidateName(inv.candidate!) : null,
        to: d.channel === 'sms' ? (inv?.candidate?.mobile ?? null) : (inv?.candidate?.email ?? null),
        action: skip ? 'skip' : 'send',
        reason: skip,
      };
    });
    if (args.includes('--json')) {
      process.stdout.write(`${JSON.stringify({ at: at.toISOString(), reminders: rows }, null, 2)}\n`);
      return;
    }
    const send = rows.filter((r) => r.action === 'send').length;
    process.stdout.write(`At ${parsed.toISO()}: ${rows.length} reminder(s) due — ${send} would be sent, ${rows.length - send} skipped. Nothing is sent by this command.\n`);
    for (const r of rows) {
      process.stdout.write(`  ${r.action === 'send' ? 'SEND' : 'SKIP'}  #${r.outboxId} ${r.kind.padEnd(14)} due ${r.dueAt}  ${r.candidate ?? '?'} <${r.to ?? '-'}>  ${r.project ?? ''}${r.reason ? `  — ${r.reason}` : ''}\n`);
    }
  } finally {
    await dataSource.destroy();
  }
}

class UsageError extends Error {}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(err instanceof UsageError ? 2 : 1);
});
