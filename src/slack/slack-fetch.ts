import http from 'node:http';
import https from 'node:https';
import type { FetchFunction } from '@slack/web-api';

type FetchResponse = Awaited<ReturnType<FetchFunction>>;

/** A Slack call that has sent nothing back for this long fails (and is retried as a temporary failure). */
export const SLACK_REQUEST_TIMEOUT_MS = 30_000;

/**
 * The `fetch` the Slack Web API client is given: Node's http(s) with kept-alive connections, for the client's own
 * requests (POST with a form body, a JSON answer). Node's built-in fetch costs about six times the CPU per call,
 * which the worker pays for every card edit and thread reply. A file upload's FormData goes to the built-in fetch.
 */
export function createSlackFetch(timeoutMs = SLACK_REQUEST_TIMEOUT_MS): FetchFunction {
  // With a timeout the agent also honours the server's `Keep-Alive: timeout=N` and drops an idle connection before
  // the server does; without one it would keep it, and the next call would race the server's close (ECONNRESET).
  const agents = { 'http:': new http.Agent({ keepAlive: true, timeout: timeoutMs }), 'https:': new https.Agent({ keepAlive: true, timeout: timeoutMs }) };
  return (input, init) => {
    const url = new URL(input);
    const body = init?.body;
    if ((body !== undefined && typeof body !== 'string') || (url.protocol !== 'http:' && url.protocol !== 'https:')) return fetch(url, init) as Promise<unknown> as Promise<FetchResponse>; // what the client calls by default
    const headers: Record<string, string> = { ...init?.headers };
    if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
    const send = (again: boolean) =>
      new Promise<FetchResponse>((resolve, reject) => {
        const request = (url.protocol === 'https:' ? https : http).request(url, { method: init?.method ?? 'GET', headers, agent: agents[url.protocol as 'http:' | 'https:'], signal: init?.signal, timeout: timeoutMs }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => resolve(answer(url, res, Buffer.concat(chunks))));
        });
        request.on('timeout', () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
        // A kept-alive connection the server closed as the request went out: nothing reached the server; once more
        // on a new connection (Node's documented pattern).
        request.on('error', (err: NodeJS.ErrnoException) => {
          if (again && request.reusedSocket && err.code === 'ECONNRESET') send(false).then(resolve, reject);
          else reject(err);
        });
        request.end(body);
      });
    return send(true);
  };
}

function answer(url: URL, res: http.IncomingMessage, bytes: Buffer): FetchResponse {
  const headers = new Map<string, string>();
  for (const [name, value] of Object.entries(res.headers)) if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  const status = res.statusCode ?? 0;
  return {
    status,
    statusText: res.statusMessage ?? '',
    ok: status >= 200 && status < 300,
    url: url.toString(),
    headers: { get: (name) => headers.get(name.toLowerCase()) ?? null, entries: () => headers.entries() },
    text: () => Promise.resolve(bytes.toString('utf8')),
    json: () => Promise.resolve(JSON.parse(bytes.toString('utf8')) as unknown),
    arrayBuffer: () => Promise.resolve(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer),
  };
}
