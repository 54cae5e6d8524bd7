import { DateTime } from 'luxon';
import type { RunningApp } from './app';

export async function recruiter(app: RunningApp, slackUserId: string, smsAccess = false, name = 'Rita Rekryterare') {
  const r = await app.api('POST', '/api/recruiters', { slackUserId, name, email: `${slackUserId.toLowerCase()}@example.com`, smsAccess });
  if (r.status !== 201) throw new Error(`recruiter: ${r.status} ${r.text}`);
  return r.body;
}

export async function project(app: RunningApp, title: string, extra: Record<string, unknown> = {}) {
  const r = await app.api('POST', '/api/projects', { title, slackChannelId: 'C0HIRING1', defaultLanguage: 'sv', senderEmail: 'jobs@example.com', ...extra });
  if (r.status !== 201) throw new Error(`project: ${r.status} ${r.text}`);
  return r.body as { id: number; title: string; timezone: string };
}

export async function candidate(app: RunningApp, projectId: number, firstName: string, lastName: string, extra: Record<string, unknown> = {}) {
  const email = `${firstName}.${lastName}.${Math.random().toString(36).slice(2, 7)}@example.com`.toLowerCase().replace(/[^a-z0-9.@]/g, 'x');
  const r = await app.api('POST', `/api/projects/${projectId}/applications`, { firstName, lastName, email, ...extra });
  if (r.status !== 201) throw new Error(`application: ${r.status} ${r.text}`);
  return r.body as { id: number; candidateId: number; candidate: { email: string; mobile: string | null } };
}

/** A date N days from now in Stockholm, as the modal's datepicker sends it. */
export function daysFromNow(n: number, zone = 'Europe/Stockholm'): string {
  return DateTime.now().setZone(zone).plus({ days: n }).toISODate()!;
}
