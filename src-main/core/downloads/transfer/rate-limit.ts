import { type Clock, systemClock } from '../queue/clock.ts';

/**
 * Under a cap, bytes are taken and written at most this many at a time: a socket read can bring a whole slab
 * (1 MiB), which at a low cap would show no progress for seconds and keep a lifted cap waiting.
 */
export const RATE_PIECE = 64 * 1024;

/**
 * One token bucket shared by every transfer: the bandwidth cap (bytes per second, 0 = off) is read on each
 * take, so a settings change applies at once. A take may go into debt; the taker then waits it off, which
 * keeps big chunks fair to small ones without splitting them.
 */
export class RateLimiter {
  private readonly rate: () => number;
  private readonly clock: Clock;
  private tokens = 0;
  private last: number;

  constructor(options: { rate: () => number; clock?: Clock }) {
    this.rate = options.rate;
    this.clock = options.clock ?? systemClock;
    this.last = this.clock.now();
  }

  /** Whether a cap is set now: bytes then pass in pieces of at most RATE_PIECE (see pump in transfer.ts). */
  get capped(): boolean {
    return this.rate() > 0;
  }

  async take(bytes: number, signal?: AbortSignal): Promise<void> {
    const rate = this.rate();
    const now = this.clock.now();
    if (rate <= 0) {
      this.tokens = 0;
      this.last = now;
      return;
    }
    // A quarter second of burst: smooth enough for a progress bar, coarse enough to cost nothing.
    const burst = Math.max(rate / 4, 16 * 1024);
    this.tokens = Math.min(burst, this.tokens + ((now - this.last) / 1000) * rate);
    this.last = now;
    this.tokens -= bytes;
    if (this.tokens >= 0) return;
    await this.clock.sleep((-this.tokens / rate) * 1000, signal);
  }
}
