/**
 * Shared plumbing for the vendor stand-ins: a bare `node:http` server on 127.0.0.1:0,
 * a log of every HTTP request, scripted faults and a polling `waitFor`.
 *
 * Vendor specifics (routes, auth, validation, error shapes) live in the subclasses.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A scripted failure for the next request(s).
 * - `{status: 500}` / `{status: 503}`: a server error in the vendor's error shape.
 * - `{status: 429, retryAfter}`: rate limited, with a `Retry-After: <seconds>` header.
 * - `{status: 4xx, body?}`: a client error; `body` (object → JSON, string → as is) replaces the vendor's default body.
 * - `{hang: ms}`: wait `ms` before handling the request NORMALLY. The request is still executed
 *   (recorded, message created) even if the client gave up meanwhile — as a real vendor would.
 */
export type Fault =
  | { status: number; retryAfter?: number; body?: unknown; headers?: Record<string, string> }
  | { hang: number };

/** One HTTP request as it hit the stand-in (faulted or not). */
export interface RawRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  at: number;
  /** Fault applied to this request, if any. */
  fault?: Fault;
  /** HTTP status the stand-in answered with (undefined until answered). */
  status?: number;
}

export interface StandinResponse {
  status: number;
  headers?: Record<string, string>;
  /** object → JSON; string/Buffer → sent as is; undefined → empty body. */
  body?: unknown;
}

interface QueuedFault {
  fault: Fault;
  /** only requests whose match key (Slack method name, path, …) contains this string */
  match?: string;
}

export abstract class StandinBase<Call extends { at: number }> {
  /** Base URL, e.g. `http://127.0.0.1:54321` (no trailing slash). */
  url = '';
  /** Calls the vendor logic handled (including those it rejected with a validation error), oldest first. */
  readonly calls: Call[] = [];
  /** Every HTTP request received, including faulted ones (count retries with this). */
  readonly requests: RawRequest[] = [];

  protected server!: http.Server;
  private faults: QueuedFault[] = [];
  private readonly sockets = new Set<import('node:net').Socket>();

  /** Handle a request that was not short-circuited by a status fault. */
  protected abstract handle(req: RawRequest): Promise<StandinResponse> | StandinResponse;
  /** Body/headers for a status fault, in the vendor's error shape. */
  protected abstract faultResponse(fault: { status: number; retryAfter?: number }, req: RawRequest): StandinResponse;
  /** String a fault's `match` is tested against (default: the path). */
  protected matchKey(req: RawRequest): string {
    return req.path;
  }

  protected async listen(): Promise<void> {
    this.server = http.createServer((req, res) => void this.onRequest(req, res));
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = this.server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}`;
  }

  /** Stop listening and drop open (keep-alive / hung) connections. */
  async close(): Promise<void> {
    if (!this.server) return;
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Forget recorded calls/requests and pending faults. Subclasses also clear vendor state. */
  reset(): void {
    this.calls.length = 0;
    this.requests.length = 0;
    this.faults = [];
  }

  /**
   * Make the next `n` requests fail with `fault`. Optional `match` restricts it to requests whose
   * match key contains the string (Slack: the API method, e.g. 'chat.postMessage'; others: the path).
   * Faults queue up in call order.
   */
  failNext(n: number, fault: Fault, match?: string): this {
    for (let i = 0; i < n; i++) this.faults.push({ fault, match });
    return this;
  }

  /** Number of queued faults not yet consumed. */
  get pendingFaults(): number {
    return this.faults.length;
  }

  /**
   * Resolve with `calls` once `predicate(calls)` is true (polled every 20 ms);
   * reject after `timeoutMs` with a summary of what was recorded.
   */
  async waitFor(predicate: (calls: Call[]) => boolean, timeoutMs = 2000): Promise<Call[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (predicate(this.calls)) return this.calls;
      if (Date.now() >= deadline) {
        throw new Error(
          `${this.constructor.name}.waitFor timed out after ${timeoutMs} ms; ${this.calls.length} call(s) recorded: ` +
            JSON.stringify(this.calls.map((c) => this.describe(c))).slice(0, 2000),
        );
      }
      await sleep(20);
    }
  }

  /** Short description of a call for timeout messages. */
  protected describe(call: Call): unknown {
    return call;
  }

  private takeFault(req: RawRequest): Fault | undefined {
    const key = this.matchKey(req);
    const i = this.faults.findIndex((f) => f.match === undefined || key.includes(f.match));
    if (i < 0) return undefined;
    return this.faults.splice(i, 1)[0].fault;
  }

  private async onRequest(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const u = new URL(req.url ?? '/', 'http://standin');
    const raw: RawRequest = {
      method: req.method ?? 'GET',
      path: u.pathname,
      query: u.searchParams,
      headers: req.headers,
      body: Buffer.concat(chunks),
      at: Date.now(),
    };
    this.requests.push(raw);
    let out: StandinResponse;
    try {
      const fault = this.takeFault(raw);
      if (fault) raw.fault = fault;
      if (fault && 'hang' in fault) {
        await sleep(fault.hang);
        out = await this.handle(raw);
      } else if (fault) {
        out = this.faultResponse(fault, raw);
        if (fault.body !== undefined) out = { ...out, body: fault.body };
        if (fault.retryAfter !== undefined) out.headers = { ...out.headers, 'Retry-After': String(fault.retryAfter) };
        if (fault.headers) out.headers = { ...out.headers, ...fault.headers };
      } else {
        out = await this.handle(raw);
      }
    } catch (e) {
      out = { status: 500, body: { standin_error: String((e as Error)?.stack ?? e) } };
    }
    raw.status = out.status;
    if (res.destroyed) return; // client gave up (timeout)
    let payload: Buffer | undefined;
    const headers: Record<string, string> = { ...(out.headers ?? {}) };
    if (out.body === undefined || out.body === null) {
      payload = undefined;
    } else if (typeof out.body === 'string' || Buffer.isBuffer(out.body)) {
      payload = Buffer.from(out.body as string | Buffer);
    } else {
      payload = Buffer.from(JSON.stringify(out.body));
      if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
        headers['Content-Type'] = 'application/json; charset=utf-8';
      }
    }
    headers['Content-Length'] = String(payload?.length ?? 0);
    res.writeHead(out.status, headers);
    res.end(payload);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Parse an `Authorization: Basic …` header. */
export function parseBasicAuth(header: string | undefined): { user: string; pass: string } | undefined {
  const m = /^Basic\s+(.+)$/i.exec(header ?? '');
  if (!m) return undefined;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const i = decoded.indexOf(':');
  if (i < 0) return undefined;
  return { user: decoded.slice(0, i), pass: decoded.slice(i + 1) };
}

/** Parse an `Authorization: Bearer …` header. */
export function parseBearer(header: string | undefined): string | undefined {
  const m = /^Bearer\s+(.+)$/i.exec(header ?? '');
  return m ? m[1].trim() : undefined;
}

/** Media type of a Content-Type header, lower-cased, without parameters. */
export function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0].trim().toLowerCase();
}
