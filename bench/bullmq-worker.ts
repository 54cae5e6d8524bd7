/**
 * Child process: one BullMQ worker (what a Node team would reach for) sending reminder emails through the same
 * SendGrid stand-in with the app's own SendGrid transport, rendering with the app's own precompiled renderer and
 * merge values: the same sends, so that the comparison is of the queues.
 * env: QUEUE, SENDGRID_API_URL, SENDGRID_API_KEY, CONCURRENCY. Prints "ready" when connected.
 */
import { Worker } from 'bullmq';
import { LANGUAGES, Language } from '../src/common/domain';
import { defaultTemplates } from '../src/notifications/email/default-templates';
import { EmailRenderer } from '../src/notifications/email/email.renderer';
import { mergeValues } from '../src/notifications/email/interview-values';
import { compileTemplate, CompiledTemplate } from '../src/notifications/email/merge-tags';
import { SendgridEmailTransport } from '../src/notifications/transports/sendgrid.transport';

async function main() {
  const renderer = await EmailRenderer.create();
  const templates = new Map<Language, { s: CompiledTemplate; c: CompiledTemplate; g: CompiledTemplate }>();
  for (const l of LANGUAGES) {
    const t = defaultTemplates(l).reminder;
    templates.set(l, { s: compileTemplate(t.subject), c: compileTemplate(t.content), g: compileTemplate(t.signature) });
  }
  const mail = new SendgridEmailTransport(process.env.SENDGRID_API_KEY!, process.env.SENDGRID_API_URL!);

  const worker = new Worker(
    process.env.QUEUE!,
    async (job) => {
      const d = job.data as { outboxId: number; email: string; firstName: string; lastName: string; language: Language; startsAt: string; token: string };
      const t = templates.get(d.language)!;
      const values = mergeValues(
        { projectTitle: 'Backend Engineer Göteborg', type: 'phone', startsAt: new Date(d.startsAt), durationMinutes: 45, timezone: 'Europe/Stockholm', location: null, recruiterNames: ['Rita Rekryterare'], senderName: 'Rita Rekryterare' },
        { firstName: d.firstName, lastName: d.lastName, language: d.language },
        `http://localhost:3000/r/${d.token}`,
      );
      const r = renderer.render({ language: d.language, kind: 'reminder', subject: t.s, content: t.c, signature: t.g, values });
      const receipt = await mail.send({
        to: { email: d.email, name: `${d.firstName} ${d.lastName}` },
        from: { email: 'jobs@example.com', name: 'Rita Rekryterare' },
        subject: r.subject,
        text: r.text,
        html: r.html,
        outboxId: d.outboxId,
      });
      return receipt.providerMessageId;
    },
    { connection: { host: '127.0.0.1', port: 6379, maxRetriesPerRequest: null }, concurrency: Number(process.env.CONCURRENCY ?? 32), removeOnComplete: { count: 0 } },
  );
  await worker.waitUntilReady();
  process.stdout.write('ready\n');
  const stop = async () => {
    await worker.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
}

main().catch((e) => {
  process.stderr.write(String(e?.stack ?? e));
  process.exit(1);
});
