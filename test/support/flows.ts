import { daysFromNow } from './fixtures';
import { waitFor } from './app';
import type { World } from './world';

export interface InviteOptions {
  step1?: Record<string, unknown>;
  step2?: Record<string, unknown>;
}

/** The recruiter's whole /invite flow through Slack; returns the new interview's detail from the admin API. */
export async function inviteViaSlack(w: World, user: string, projectTitle: string, projectId: number, applicationIds: number[], opts: InviteOptions = {}) {
  const before = (await w.app.api('GET', `/api/interviews?projectId=${projectId}`)).body.length as number;
  const since = Date.now();
  const cmd = await w.command('/invite', user, projectTitle);
  if (cmd.status !== 200) throw new Error(`/invite: ${cmd.status} ${cmd.text}`);
  const view1 = await w.waitForView('invite_step1', since);
  const candidatesBlock = view1.blocks.find((b: any) => String(b.block_id).startsWith('candidates'));
  const s1 = await w.submit(view1, user, { [candidatesBlock.block_id]: applicationIds.map(String), type: 'phone', date: daysFromNow(10), time: '10:00', ...opts.step1 });
  if (s1.json?.response_action !== 'update') throw new Error(`step 1 refused: ${s1.text}`);
  const s2 = await w.submit(s1.json.view, user, { reminder_option: 'none', ...opts.step2 });
  if (s2.json?.response_action !== 'clear') throw new Error(`step 2 refused: ${s2.text}`);
  const list = await waitFor(async () => {
    const l = (await w.app.api('GET', `/api/interviews?projectId=${projectId}`)).body;
    return l.length > before ? l : null;
  });
  return (await w.app.api('GET', `/api/interviews/${list[0].id}`)).body;
}

/** The confirm link in the latest email the SendGrid stand-in got for this address. */
export async function confirmLinkFor(w: World, email: string): Promise<string> {
  const mail = await w.sendgrid.waitFor((calls) => calls.some((c) => c.status === 202 && c.body.personalizations[0].to[0].email === email), 15_000);
  const last = mail.filter((c) => c.status === 202 && c.body.personalizations[0].to[0].email === email).at(-1)!;
  const text = last.body.content.find((c: any) => c.type === 'text/plain').value as string;
  const m = /https?:\/\/[^\s"<>]+\/r\/[A-Za-z0-9_-]+/.exec(text);
  if (!m) throw new Error(`no confirm link in: ${text}`);
  return m[0];
}

/** The candidate's confirm page in the app under test (the link's path on the app's own URL) and its form's csrf value. */
export async function confirmPage(w: World, email: string): Promise<{ link: string; csrf: string }> {
  const link = `${w.app.url}${new URL(await confirmLinkFor(w, email)).pathname}`;
  const csrf = /name="csrf" value="([^"]+)"/.exec(await (await fetch(link)).text())?.[1];
  if (!csrf) throw new Error(`no csrf on the confirm page for ${email}`);
  return { link, csrf };
}
