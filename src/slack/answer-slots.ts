/**
 * When the Slack work a candidate causes (a card edit with a thread reply) goes out, spread so that an instance asks
 * for at most `perMinute` such edits a minute after a burst of `burst` (GCRA), within what Slack takes from an app:
 * 50 or more `chat.update` a minute in a workspace, about one message a second into a channel. An interview with work
 * already waiting joins it, so however many candidates answer at once, each interview has one edit waiting and the
 * wait is at most (interviews with answers) / perMinute minutes. In memory: a slot is a moment, not a reservation;
 * several instances each keep their own, and Slack's 429 (held back by the dispatcher) covers the rest.
 */
export class AnswerSlots {
  private tat = 0;
  private readonly waiting = new Map<number, number>();

  constructor(
    private readonly perMinute: number,
    private readonly burst = 20,
  ) {}

  /** The moment the interview's next edit goes out: `earliest` or later (a time in ms, as `now`). */
  slotFor(interviewId: number, earliest: number, now: number): number {
    if (this.perMinute <= 0) return earliest;
    const joined = this.waiting.get(interviewId);
    if (joined !== undefined && joined > now) return joined;
    if (this.waiting.size > 10_000) this.forgetPast(now);
    const interval = 60_000 / this.perMinute;
    const at = Math.max(earliest, this.tat - (this.burst - 1) * interval);
    this.tat = Math.max(this.tat, at) + interval;
    this.waiting.set(interviewId, at);
    return at;
  }

  private forgetPast(now: number): void {
    for (const [id, at] of this.waiting) if (at <= now) this.waiting.delete(id);
  }
}
