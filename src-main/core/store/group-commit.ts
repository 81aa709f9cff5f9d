/**
 * Runs a durable step (an append and fsync, a folder fsync) so that callers arriving while one runs share the
 * next one instead of queueing one each: at most one runs and one waits. The waiting one starts when the
 * running one ends (whether it failed or not), and covers everything its callers did before they asked.
 */
export class GroupCommit {
  private running: Promise<void> | undefined;
  private waiting: Promise<void> | undefined;

  private readonly step: () => Promise<void>;

  constructor(step: () => Promise<void>) {
    this.step = step;
  }

  /** A run that starts no earlier than now: the waiting one if there is one, else a new one. */
  next(): Promise<void> {
    if (this.waiting) return this.waiting;
    if (!this.running) return this.start();
    const after = this.running
      .catch(() => {})
      .then(() => {
        this.waiting = undefined;
        return this.start();
      });
    this.waiting = after;
    return after;
  }

  get idle(): boolean {
    return this.running === undefined && this.waiting === undefined;
  }

  /** Resolves when nothing runs or waits (never rejects). */
  async settled(): Promise<void> {
    while (this.running || this.waiting) await (this.waiting ?? this.running)?.catch(() => {});
  }

  private start(): Promise<void> {
    const run = this.step().finally(() => {
      if (this.running === run) this.running = undefined;
    });
    this.running = run;
    return run;
  }
}
