/**
 * The bytes of one response body between the socket and its reader: views pushed as reads land, taken by
 * `for await`. Past HIGH_WATER bytes waiting, `push` answers false and the socket stops reading; `onDrained`
 * lets it go on once the reader brought them under LOW_WATER, so a slow disk holds at most a few MiB per transfer.
 */
const HIGH_WATER = 4 * 1024 * 1024;
const LOW_WATER = 1024 * 1024;

export class BodyQueue implements AsyncIterable<Buffer> {
  private readonly views: Buffer[] = [];
  private head = 0;
  private queued = 0;
  private ended = false;
  private failure: Error | undefined;
  private waiter: (() => void) | undefined;
  private pressed = false;
  private readonly onDrained: () => void;
  private readonly onAbandon: () => void;

  /** `onAbandon`: the reader stopped before the end (a break out of its loop); the rest is never read. */
  constructor(onDrained: () => void, onAbandon: () => void) {
    this.onDrained = onDrained;
    this.onAbandon = onAbandon;
  }

  /** Queues a view; false when the socket should stop reading for now. */
  push(view: Buffer): boolean {
    this.views.push(view);
    this.queued += view.length;
    this.wake();
    if (this.queued >= HIGH_WATER) this.pressed = true;
    return !this.pressed;
  }

  end(): void {
    this.ended = true;
    this.wake();
  }

  fail(error: Error): void {
    if (this.ended) return;
    this.failure ??= error;
    this.wake();
  }

  get finished(): boolean {
    return this.ended;
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Buffer> {
    let complete = false;
    try {
      for (;;) {
        if (this.head < this.views.length) {
          const view = this.views[this.head++] as Buffer;
          if (this.head === this.views.length) {
            this.views.length = 0;
            this.head = 0;
          }
          this.queued -= view.length;
          if (this.pressed && this.queued <= LOW_WATER) {
            this.pressed = false;
            this.onDrained();
          }
          yield view;
          continue;
        }
        if (this.failure) throw this.failure;
        if (this.ended) {
          complete = true;
          return;
        }
        await new Promise<void>((resolve) => {
          this.waiter = resolve;
        });
      }
    } finally {
      if (!complete && this.failure === undefined) this.onAbandon();
    }
  }

  private wake(): void {
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.();
  }
}
