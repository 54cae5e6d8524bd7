/**
 * Child process: autocannon against one app instance (so the load generator does not share the bench's event loop).
 * argv[2] = JSON config file. Prints the result JSON on stdout.
 *   mode 'link': POST /r/:token answer=<cycle>&csrf=<from the page>
 *   mode 'sms' : POST /sms/inbound, Twilio-signed form From/Body/MessageSid (new MessageSid per request)
 */
import autocannon from 'autocannon';
import * as fs from 'node:fs';
import { signTwilioRequest } from '../test/support/signing';

interface Config {
  url: string;
  mode: 'link' | 'sms';
  items: { token?: string; csrf?: string; from?: string }[];
  answers: string[];
  duration: number;
  connections: number;
  twilioToken?: string;
  publicBaseUrl?: string;
  to?: string;
}

const cfg: Config = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
let k = 0;
const replies = new Map<string, number>();
const sidBase = Math.random().toString(16).slice(2, 10);

function setupRequest(req: any) {
  const n = k++;
  const item = cfg.items[n % cfg.items.length];
  // Round-robin over the invitations; each pass moves every invitation to the next answer (each request changes state).
  const answer = cfg.answers[Math.floor(n / cfg.items.length) % cfg.answers.length];
  if (cfg.mode === 'link') {
    req.method = 'POST';
    req.path = `/r/${item.token}`;
    req.headers = { 'content-type': 'application/x-www-form-urlencoded' };
    req.body = `answer=${answer}&csrf=${encodeURIComponent(item.csrf!)}`;
  } else {
    const params = {
      AccountSid: 'AC' + '0'.repeat(31) + '1',
      ApiVersion: '2010-04-01',
      Body: answer,
      From: item.from!,
      To: cfg.to!,
      MessageSid: `SM${sidBase}${n.toString(16).padStart(24, '0')}`,
      NumMedia: '0',
    };
    const sig = signTwilioRequest(cfg.twilioToken!, `${cfg.publicBaseUrl}/sms/inbound`, params);
    req.method = 'POST';
    req.path = '/sms/inbound';
    req.headers = { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': sig };
    req.body = new URLSearchParams(params).toString();
  }
  return req;
}

function onResponse(status: number, body: string) {
  if (cfg.mode === 'sms') {
    const m = /<Message>([^<]{0,40})/.exec(body ?? '');
    const key = m ? m[1] : '(no message)';
    replies.set(key, (replies.get(key) ?? 0) + 1);
  } else {
    const key = /<div class="notice[^"]*" role="\w+"><p>([^<]{0,30})/.exec(body ?? '')?.[1] ?? `status ${status} without notice`;
    replies.set(key, (replies.get(key) ?? 0) + 1);
  }
}

autocannon(
  {
    url: cfg.url,
    connections: cfg.connections,
    duration: cfg.duration,
    pipelining: 1,
    timeout: 10,
    requests: [{ setupRequest, onResponse }],
  },
  (err: Error | null, result: any) => {
    if (err) {
      process.stderr.write(String(err.stack ?? err));
      process.exit(1);
    }
    const codes: Record<string, number> = {};
    for (const [code, v] of Object.entries(result.statusCodeStats ?? {})) codes[code] = (v as any).count;
    const out = {
      requests: result.requests.total,
      durationS: result.duration,
      rps: result.requests.total / result.duration,
      rpsAverage: result.requests.average,
      latency: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max, mean: result.latency.mean },
      codes,
      errors: result.errors,
      timeouts: result.timeouts,
      non2xx: result.non2xx,
      replies: Object.fromEntries([...replies.entries()].sort((a, b) => b[1] - a[1]).slice(0, 8)),
      sent: k,
    };
    process.stdout.write(JSON.stringify(out));
  },
);
