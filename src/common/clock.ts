/** The clock is injected everywhere time matters, so that rules and sweeps can be driven in tests. */
export const CLOCK = Symbol('CLOCK');

export interface Clock {
  now(): Date;
}

export class SystemClock implements Clock {
  now(): Date {
    return new Date();
  }
}

/**
 * A clock an operator sets through the admin API (CLOCK=manual): for rehearsals and end-to-end
 * tests of the reminder schedule. Time keeps running from the set instant.
 */
export class ManualClock implements Clock {
  private offsetMs = 0;
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
  set(instant: Date): void {
    this.offsetMs = instant.getTime() - Date.now();
  }
}
