import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { NotFound, ValidationFailed } from './errors';

interface BodyParserError {
  type?: string;
  status?: number;
  message?: string;
  limit?: number;
}

/** What a body-parser failure tells the client; null for any other error. */
export function bodyParserError(err: unknown): { status: number; json: { error: string; message: string } } | null {
  const bp = err as BodyParserError;
  if (bp?.type === 'entity.parse.failed') return { status: 400, json: { error: 'malformed_json', message: 'The request body is not valid JSON.' } };
  if (bp?.type === 'entity.too.large') return { status: 413, json: { error: 'payload_too_large', message: `The request body is larger than the limit of ${bp.limit} bytes.` } };
  if (bp?.type === 'charset.unsupported' || bp?.type === 'encoding.unsupported') return { status: 415, json: { error: 'unsupported_encoding', message: bp.message ?? 'unsupported encoding' } };
  if (typeof bp?.status === 'number' && bp.status >= 400 && bp.status < 500) return { status: bp.status, json: { error: 'bad_request', message: bp.message ?? 'bad request' } };
  return null;
}

const CONNECTION_ERRORS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'PROTOCOL_CONNECTION_LOST', 'ER_SERVER_SHUTDOWN', 'SQLITE_BUSY', 'SQLITE_CANTOPEN']);

/** A lost database connection is a temporary outage (503), not a bug (500). */
function databaseUnavailable(err: unknown): boolean {
  const e = err as { code?: string; driverError?: { code?: string } };
  return CONNECTION_ERRORS.has(e?.code ?? '') || CONNECTION_ERRORS.has(e?.driverError?.code ?? '');
}

/** JSON errors for the API: 400 names each bad field, body-parser failures say what was wrong with the body. */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpError');

  catch(err: unknown, host: ArgumentsHost) {
    const res = host.switchToHttp().getResponse<Response>();
    const req = host.switchToHttp().getRequest<Request>();
    if (res.headersSent) return;
    if (err instanceof ValidationFailed) return res.status(400).json({ error: 'validation_failed', message: 'Some fields are not valid.', fields: err.fields });
    if (err instanceof NotFound) return res.status(404).json({ error: 'not_found', message: err.message });
    if (err instanceof HttpException) {
      const body = err.getResponse();
      return res.status(err.getStatus()).json(typeof body === 'string' ? { error: body, message: body } : body);
    }
    const body = bodyParserError(err);
    if (body) return res.status(body.status).json(body.json);
    if (databaseUnavailable(err)) return res.status(503).json({ error: 'database_unavailable', message: 'The database does not answer right now; try again shortly.' });
    this.logger.error({ msg: 'unhandled error', path: req.path, error: (err as Error)?.message, stack: (err as Error)?.stack });
    return res.status(500).json({ error: 'internal_error', message: 'Something went wrong on our side.' });
  }
}
