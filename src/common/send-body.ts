import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';

/**
 * Writes a whole response in one go through Node's own writeHead/end, for the candidates' hot paths (the confirm
 * page, Twilio's TwiML): Express's `send` re-derives type, length and freshness on every call. Headers set earlier
 * (request id, Server-Timing) are kept.
 */
export function sendBody(res: ServerResponse, status: number, headers: OutgoingHttpHeaders, body: string): void {
  res.writeHead(status, { ...headers, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}
