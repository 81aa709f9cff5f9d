import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  clampSegments,
  PIECES_PER_CONNECTION,
  planSegments,
  segmentComplete,
  segmentOffset,
  segmentsDone,
  validSegmentMap,
} from '../../src-main/core/downloads/job/segments.ts';

const MiB = 1024 * 1024;

describe('segments', () => {
  it('fetches small or unknown-size files in one piece', () => {
    expect(planSegments(undefined, { segments: 4, minSegmentSize: MiB })).toBeUndefined();
    expect(planSegments(0, { segments: 4, minSegmentSize: MiB })).toBeUndefined();
    expect(planSegments(4 * MiB - 1, { segments: 4, minSegmentSize: MiB })).toBeUndefined();
    expect(planSegments(100 * MiB, { segments: 1, minSegmentSize: MiB })).toBeUndefined();
  });

  it('splits a large file into contiguous near-equal ranges', () => {
    const plan = planSegments(10 * MiB + 3, { segments: 4, minSegmentSize: MiB });
    expect(plan).toHaveLength(4);
    expect(plan?.[0]?.start).toBe(0);
    expect(plan?.at(-1)?.end).toBe(10 * MiB + 3);
    expect(validSegmentMap(plan ?? [], 10 * MiB + 3)).toBe(true);
  });

  it('makes pieces of at least 8 MiB, one to PIECES_PER_CONNECTION per connection, so a hash can follow them', () => {
    expect(planSegments(10 * MiB, { segments: 4, minSegmentSize: MiB })).toHaveLength(4);
    expect(planSegments(40 * MiB, { segments: 2, minSegmentSize: MiB })).toHaveLength(5);
    expect(planSegments(40 * MiB, { segments: 2, minSegmentSize: 20 * MiB })).toHaveLength(2);
    expect(planSegments(1024 * MiB, { segments: 4, minSegmentSize: 8 * MiB })).toHaveLength(
      4 * PIECES_PER_CONNECTION,
    );
    expect(planSegments(256 * MiB, { segments: 8, minSegmentSize: 8 * MiB })).toHaveLength(32);
  });

  it('covers every byte exactly once (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 40 }), fc.integer({ min: 1, max: 16 }), (size, segments) => {
        const plan = planSegments(size, { segments, minSegmentSize: 64 * 1024 });
        if (!plan) return;
        expect(validSegmentMap(plan, size)).toBe(true);
        const lengths = plan.map((s) => s.end - s.start);
        expect(Math.max(...lengths) - Math.min(...lengths)).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('tracks progress per segment', () => {
    const plan = planSegments(8 * MiB, { segments: 2, minSegmentSize: MiB }) ?? [];
    const [a, b] = plan as [(typeof plan)[0], (typeof plan)[0]];
    a.done = 100;
    expect(segmentOffset(a)).toBe(100);
    expect(segmentOffset(b)).toBe(4 * MiB);
    b.done = 4 * MiB;
    expect(segmentComplete(b)).toBe(true);
    expect(segmentsDone(plan)).toBe(4 * MiB + 100);
  });

  it('rejects broken maps from a journal', () => {
    expect(validSegmentMap([], 10)).toBe(false);
    expect(validSegmentMap([{ start: 0, end: 5, done: 0 }], 10)).toBe(false);
    expect(
      validSegmentMap(
        [
          { start: 0, end: 5, done: 6 },
          { start: 5, end: 10, done: 0 },
        ],
        10,
      ),
    ).toBe(false);
    expect(
      validSegmentMap(
        [
          { start: 0, end: 5, done: 0 },
          { start: 6, end: 10, done: 0 },
        ],
        10,
      ),
    ).toBe(false);
  });

  it('lowers progress to what the file on disk can hold', () => {
    const map = [
      { start: 0, end: 100, done: 100 },
      { start: 100, end: 200, done: 80 },
      { start: 200, end: 300, done: 50 },
    ];
    expect(clampSegments(map, 150).map((s) => s.done)).toEqual([100, 50, 0]);
    expect(clampSegments(map, 1000).map((s) => s.done)).toEqual([100, 80, 50]);
  });
});
