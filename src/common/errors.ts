/**
 * Errors that cross a provider boundary say whether trying again can help. Retries depend on `temporary`, never on
 * message text. A send held back (the provider's 429, or the app waiting for something first) is temporary and does
 * not use up one of the message's attempts: it was never tried.
 */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly temporary: boolean,
    readonly retryAfterMs?: number,
    readonly code?: string,
    readonly throttle?: Throttle,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }

  static temporary(message: string, retryAfterMs?: number, code?: string) {
    return new DeliveryError(message, true, retryAfterMs, code);
  }

  /** The provider answered 429: it takes no more for now. */
  static throttled(message: string, retryAfterMs: number, code: string) {
    return new DeliveryError(message, true, retryAfterMs, code, { byApp: false });
  }

  /** Held back by the app itself until something it waits for has happened (a Slack card's first post, say). */
  static waiting(message: string, retryAfterMs: number) {
    return new DeliveryError(message, true, retryAfterMs, 'waiting', { byApp: true });
  }

  static permanent(message: string, code?: string) {
    return new DeliveryError(message, false, undefined, code);
  }
}

export interface Throttle {
  /** True when the app held the send back itself; false for the provider's 429. */
  byApp: boolean;
}

/** A business rule refused the request; `fields` maps input names to what is wrong with them. */
export class ValidationFailed extends Error {
  constructor(readonly fields: Record<string, string>) {
    super(Object.entries(fields).map(([k, v]) => `${k}: ${v}`).join('; '));
    this.name = 'ValidationFailed';
  }
}

export class NotFound extends Error {
  constructor(what: string) {
    super(`${what} not found`);
    this.name = 'NotFound';
  }
}
