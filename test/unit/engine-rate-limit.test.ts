import { describe, expect, it } from 'vitest';
import type { Clock } from '../../src-main/core/downloads/queue/clock.ts';
import { RateLimiter } from '../../src-main/core/downloads/transfer/rate-limit.ts';

/** A clock that only moves when something sleeps on it: the total slept is the time a transfer would take. */
function fakeClock(): Clock & { slept: number[] } {
  let now = 1_000_000;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    sleep: async (ms) => {
      slept.push(ms);
      now += ms;
    },
  };
}

describe('rate limiter', () => {
  it('never waits when the cap is off', async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter({ rate: () => 0, clock });
    for (let i = 0; i < 100; i++) await limiter.take(1024 * 1024);
    expect(clock.slept).toEqual([]);
  });

  it('holds a stream to the cap over time', async () => {
    const clock = fakeClock();
    const rate = 1024 * 1024;
    const limiter = new RateLimiter({ rate: () => rate, clock });
    const start = clock.now();
    const total = 10 * rate;
    for (let sent = 0; sent < total; sent += 64 * 1024) await limiter.take(64 * 1024);
    const seconds = (clock.now() - start) / 1000;
    // The burst allowance (a quarter second) lets the first chunks through at once.
    expect(seconds).toBeGreaterThanOrEqual(9.7);
    expect(seconds).toBeLessThanOrEqual(10.1);
  });

  it('shares one budget between parallel takers', async () => {
    const clock = fakeClock();
    const rate = 100_000;
    const limiter = new RateLimiter({ rate: () => rate, clock });
    const start = clock.now();
    await Promise.all(
      [0, 1, 2, 3].map(async () => {
        for (let i = 0; i < 10; i++) await limiter.take(10_000);
      }),
    );
    // 400 kB at 100 kB/s is about 4 s whoever asked.
    expect((clock.now() - start) / 1000).toBeGreaterThanOrEqual(3.5);
  });

  it('applies a changed cap at once', async () => {
    const clock = fakeClock();
    let rate = 1_000_000;
    const limiter = new RateLimiter({ rate: () => rate, clock });
    await limiter.take(1_000_000);
    rate = 0;
    const before = clock.slept.length;
    await limiter.take(50_000_000);
    expect(clock.slept.length).toBe(before);
  });
});
