/** Errors that cross a provider boundary say whether trying again can help. Retries depend on `temporary`, never on message text. */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly temporary: boolean,
    readonly retryAfterMs?: number,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }

  static temporary(message: string, retryAfterMs?: number, code?: string) {
    return new DeliveryError(message, true, retryAfterMs, code);
  }

  static permanent(message: string, code?: string) {
    return new DeliveryError(message, false, undefined, code);
  }
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
