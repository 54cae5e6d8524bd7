/** How long no request must have been served before waiting background work goes ahead. */
export const SETTLE_MS = 15;
/** Waiters released at a time once it is quiet, and the pause between such steps (while it stays quiet). */
const RELEASE_STEP = 4;
const RELEASE_EVERY_MS = 5;

/**
 * Requests being served right now. Slack refuses an acknowledgement after 3 seconds and a candidate waits on the
 * page, while an email or a card edit can go out a moment later: background work asks `busy()` and holds back
 * while people wait (see OutboxDispatcher), but never stops outright.
 *
 * A gap between two requests is not a quiet moment: waiters are released only once no request has come for
 * `settleMs`, and then a few at a time, so that a request arriving meanwhile finds little background work ahead of it.
 */
export class Foreground {
  private inFlight = 0;
  private waiters: (() => void)[] = [];
  private settling: NodeJS.Timeout | null = null;

  constructor(private readonly settleMs = SETTLE_MS) {}

  /** Marks a request as started; call the returned function once, when it has been answered or dropped. */
  begin(): () => void {
    this.inFlight++;
    if (this.settling) {
      clearTimeout(this.settling);
      this.settling = null;
    }
    let done = false;
    return () => {
      if (done) return;
      done = true;
      if (--this.inFlight === 0 && this.waiters.length) this.settle();
    };
  }

  busy(): boolean {
    return this.inFlight > 0;
  }

  /** Resolves once no request has been served for the settle time, or after `maxMs` at the latest. */
  quiet(maxMs: number): Promise<void> {
    if (this.inFlight === 0 && !this.settling) return Promise.resolve();
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

  private settle(delay = this.settleMs): void {
    this.settling = setTimeout(() => {
      this.settling = null;
      for (const w of this.waiters.splice(0, RELEASE_STEP)) w();
      if (this.waiters.length) this.settle(RELEASE_EVERY_MS);
    }, delay);
    this.settling.unref();
  }
}
