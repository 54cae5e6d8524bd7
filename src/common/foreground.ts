/**
 * Requests being served right now. Slack refuses an acknowledgement after 3 seconds and a candidate waits on the
 * page, while an email or a card edit can go out a moment later: background work asks `busy()` and holds back
 * while people wait (see OutboxDispatcher), but never stops outright.
 */
export class Foreground {
  private inFlight = 0;
  private waiters: (() => void)[] = [];

  /** Marks a request as started; call the returned function once, when it has been answered or dropped. */
  begin(): () => void {
    this.inFlight++;
    let done = false;
    return () => {
      if (done) return;
      done = true;
      if (--this.inFlight === 0) this.release();
    };
  }

  busy(): boolean {
    return this.inFlight > 0;
  }

  /** Resolves once no request is being served, or after `maxMs` at the latest. */
  quiet(maxMs: number): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== wake);
        resolve();
      }, maxMs);
      const wake = () => {
        clearTimeout(timer);
        resolve();
      };
      this.waiters.push(wake);
    });
  }

  private release(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}
