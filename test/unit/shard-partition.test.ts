import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { partition, type Shardable, shardItems } from '../../src-shared/shard-partition.ts';

/** Unique keys, some items with sizes (as a metadata TSV gives them), some without (a plain id list). */
const itemsArb = (sized: 'all' | 'none' | 'some') =>
  fc
    .uniqueArray(fc.string({ minLength: 1, maxLength: 12 }), { maxLength: 200 })
    .chain((keys) =>
      fc.tuple(
        fc.constant(keys),
        fc.array(fc.option(fc.integer({ min: 0, max: 2 ** 40 }), { nil: undefined }), {
          minLength: keys.length,
          maxLength: keys.length,
        }),
      ),
    )
    .map(([keys, sizes]) =>
      keys.map((key, i): Shardable => {
        const size = sized === 'all' ? (sizes[i] ?? 7) : sized === 'none' ? undefined : sizes[i];
        return size === undefined ? { key } : { key, size };
      }),
    );

const countArb = fc.integer({ min: 1, max: 40 });
const keysOf = (parts: Shardable[][]) => parts.map((part) => part.map((item) => item.key).sort());
const bytes = (part: Shardable[]) => part.reduce((sum, item) => sum + (item.size ?? 0), 0);

describe('partition of a download list into shards', () => {
  it('is disjoint and complete: every item in exactly one part (property)', () => {
    fc.assert(
      fc.property(itemsArb('some'), countArb, (items, count) => {
        const parts = partition(items, count);
        expect(parts).toHaveLength(count);
        const seen = parts.flat().map((item) => item.key);
        expect(new Set(seen).size).toBe(seen.length);
        expect(seen.sort()).toEqual(items.map((item) => item.key).sort());
      }),
    );
  });

  it('is the same whatever the order of the input (property)', () => {
    fc.assert(
      fc.property(
        itemsArb('some').chain((items) =>
          fc.tuple(fc.constant(items), fc.shuffledSubarray(items, { minLength: items.length })),
        ),
        countArb,
        ([items, shuffled], count) => {
          expect(keysOf(partition(shuffled, count))).toEqual(keysOf(partition(items, count)));
        },
      ),
    );
  });

  it('balances bytes: every part within one largest file of the ideal (property)', () => {
    fc.assert(
      fc.property(itemsArb('all'), countArb, (items, count) => {
        const parts = partition(items, count);
        const ideal = bytes(items) / count;
        const largest = Math.max(0, ...items.map((item) => item.size ?? 0));
        for (const part of parts) {
          expect(Math.abs(bytes(part) - ideal)).toBeLessThanOrEqual(largest);
        }
      }),
    );
  });

  it('balances by count when no size is known (property)', () => {
    fc.assert(
      fc.property(itemsArb('none'), countArb, (items, count) => {
        const lengths = partition(items, count).map((part) => part.length);
        expect(Math.max(...lengths) - Math.min(...lengths)).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('spreads a metadata-TSV-like list of one big file and many small ones', () => {
    const items = [
      { key: 'file:A', size: 1000 },
      ...Array.from({ length: 10 }, (_, i) => ({ key: `file:S${i}`, size: 100 })),
    ];
    const parts = partition(items, 2);
    expect(parts.map(bytes).sort()).toEqual([1000, 1000]);
    expect(shardItems(items, 1, 2).map((i) => i.key)).toEqual(['file:A']);
  });

  it('gives empty parts, not an error, when there are more shards than items', () => {
    const parts = partition([{ key: 'x' }], 3);
    expect(parts.map((part) => part.length)).toEqual([1, 0, 0]);
    expect(() => partition([], 0)).toThrow(RangeError);
  });
});
