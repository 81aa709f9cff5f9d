/**
 * Splits a download list into N disjoint parts that every shard of a job array computes alike, from the same
 * input in any order, on any machine: items are ordered by a stable key (plain code-unit comparison, no locale),
 * never by their position in the input. Items with a known size are spread by bytes (largest first, each to the
 * lightest part so far: every part ends within one largest file of the ideal total/N); items of unknown size are
 * dealt out by count.
 */

export interface Shardable {
  /** Unique per item (the queue's de-duplication key, e.g. `file:4DNFI…`). */
  key: string;
  size?: number | undefined;
}

/** The parts, index 0 for shard 1. Duplicate keys must be removed first: each key lands in exactly one part. */
export function partition<T extends Shardable>(items: readonly T[], count: number): T[][] {
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`partition: count ${count} is not >= 1`);
  const parts: T[][] = Array.from({ length: count }, () => []);
  const sized = items.filter((item) => hasSize(item)).sort(bySizeThenKey);
  const unsized = items.filter((item) => !hasSize(item)).sort(byKey);
  const lightest = new LoadHeap(count);
  for (const item of sized) parts[lightest.add(item.size ?? 0)]?.push(item);
  // Dealt in turn from the part that received fewest sized items, so counts stay even overall too.
  const fewest = new LoadHeap(count);
  for (const [index, part] of parts.entries()) fewest.set(index, part.length);
  for (const item of unsized) parts[fewest.add(1)]?.push(item);
  return parts;
}

/** The items of shard `index` (1-based) of `count`. */
export function shardItems<T extends Shardable>(items: readonly T[], index: number, count: number): T[] {
  return partition(items, count)[index - 1] ?? [];
}

function hasSize(item: Shardable): boolean {
  return typeof item.size === 'number' && Number.isFinite(item.size) && item.size >= 0;
}

function byKey(a: Shardable, b: Shardable): number {
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

function bySizeThenKey(a: Shardable, b: Shardable): number {
  return (b.size ?? 0) - (a.size ?? 0) || byKey(a, b);
}

/** A min-heap of part loads (ties to the lower index, so the result is deterministic). */
class LoadHeap {
  private readonly load: number[];
  /** heap[i] is a part index; pos[part] its place in heap. */
  private readonly heap: number[];
  private readonly pos: number[];

  constructor(count: number) {
    this.load = new Array<number>(count).fill(0);
    this.heap = Array.from({ length: count }, (_, i) => i);
    this.pos = Array.from({ length: count }, (_, i) => i);
  }

  /** Adds `amount` to the lightest part and returns that part's index. */
  add(amount: number): number {
    const part = this.heap[0] ?? 0;
    this.load[part] = (this.load[part] ?? 0) + amount;
    this.down(0);
    return part;
  }

  set(part: number, load: number): void {
    this.load[part] = load;
    const at = this.pos[part] ?? 0;
    this.up(at);
    this.down(this.pos[part] ?? at);
  }

  private less(a: number, b: number): boolean {
    const la = this.load[a] ?? 0;
    const lb = this.load[b] ?? 0;
    return la < lb || (la === lb && a < b);
  }

  private swap(i: number, j: number): void {
    const a = this.heap[i] ?? 0;
    const b = this.heap[j] ?? 0;
    this.heap[i] = b;
    this.heap[j] = a;
    this.pos[b] = i;
    this.pos[a] = j;
  }

  private up(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(this.heap[i] ?? 0, this.heap[parent] ?? 0)) return;
      this.swap(i, parent);
      i = parent;
    }
  }

  private down(i: number): void {
    const n = this.heap.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let best = i;
      if (l < n && this.less(this.heap[l] ?? 0, this.heap[best] ?? 0)) best = l;
      if (r < n && this.less(this.heap[r] ?? 0, this.heap[best] ?? 0)) best = r;
      if (best === i) return;
      this.swap(i, best);
      i = best;
    }
  }
}
