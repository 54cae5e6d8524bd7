import { WebClient } from '@slack/web-api';
import { DeliveryError } from '../common/errors';

/** Slack's answers that say trying again later can help. */
const TEMPORARY_SLACK_ERRORS = new Set(['ratelimited', 'service_unavailable', 'internal_error', 'fatal_error', 'request_timeout', 'team_added_to_org']);

interface SlackErrorLike {
  code?: string;
  message?: string;
  retryAfter?: number;
  statusCode?: number;
  data?: { error?: string; response_metadata?: { messages?: string[] } };
}

/** The Slack Web API calls the product makes, with vendor errors turned into DeliveryErrors. */
export class SlackApi {
  constructor(readonly client: WebClient) {}

  async call<T = Record<string, unknown>>(method: string, args: Record<string, unknown>): Promise<T> {
    try {
      return (await this.client.apiCall(method, onTheWire(args))) as T;
    } catch (err) {
      throw slackError(method, err as SlackErrorLike);
    }
  }
}

const JSON_ARGUMENTS = ['view', 'blocks', 'attachments'];

/**
 * The arguments with their Block Kit values as the JSON text the Web API client would send for them anyway. Given
 * objects, the client also walks every key of them with regular expressions to redact a debug log line that is
 * never printed, and serialises them twice more for it.
 */
export function onTheWire<T extends Record<string, unknown>>(args: T): T {
  let out: Record<string, unknown> | null = null;
  for (const key of JSON_ARGUMENTS) {
    const value = args[key];
    if (value !== undefined && value !== null && typeof value === 'object') (out ??= { ...args })[key] = JSON.stringify(value);
  }
  return (out ?? args) as T;
}

export function slackError(method: string, err: SlackErrorLike): DeliveryError {
  switch (err.code) {
    case 'slack_webapi_rate_limited_error':
      return DeliveryError.throttled(`Slack ${method}: rate limited`, (err.retryAfter ?? 1) * 1000, 'ratelimited');
    case 'slack_webapi_platform_error': {
      const code = err.data?.error ?? 'unknown_error';
      const detail = err.data?.response_metadata?.messages?.join('; ');
      const message = `Slack ${method}: ${code}${detail ? ` (${detail})` : ''}`;
      return TEMPORARY_SLACK_ERRORS.has(code) ? DeliveryError.temporary(message, undefined, code) : DeliveryError.permanent(message, code);
    }
    case 'slack_webapi_http_error':
      return (err.statusCode ?? 500) >= 500 || err.statusCode === 408
        ? DeliveryError.temporary(`Slack ${method}: HTTP ${err.statusCode}`)
        : DeliveryError.permanent(`Slack ${method}: HTTP ${err.statusCode}`);
    default:
      return DeliveryError.temporary(`Slack ${method}: ${err.message ?? 'request failed'}`);
  }
}
