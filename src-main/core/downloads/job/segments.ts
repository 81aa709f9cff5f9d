/** One byte range [start, end) of a file, fetched by its own ranged GET; `done` bytes from `start` are on disk. */
export interface Segment {
  start: number;
  end: number;
  done: number;
}

/**
 * Splits a file into `segments` near-equal ranges, or returns undefined when it should come in one piece:
 * files smaller than segments x minSegmentSize, or of unknown size.
 */
export function planSegments(
  size: number | undefined,
  options: { segments: number; minSegmentSize: number },
): Segment[] | undefined {
  const count = Math.floor(options.segments);
  if (!size || count <= 1 || size < count * options.minSegmentSize) return undefined;
  const out: Segment[] = [];
  for (let i = 0; i < count; i++) {
    out.push({ start: Math.floor((i * size) / count), end: Math.floor(((i + 1) * size) / count), done: 0 });
  }
  return out;
}

export function segmentOffset(segment: Segment): number {
  return segment.start + segment.done;
}

export function segmentComplete(segment: Segment): boolean {
  return segment.start + segment.done >= segment.end;
}

export function segmentsDone(segments: readonly Segment[]): number {
  return segments.reduce((sum, s) => sum + s.done, 0);
}

/** Checks a persisted map: contiguous, covering exactly [0, size), with sane progress counts. */
export function validSegmentMap(segments: readonly Segment[], size: number): boolean {
  let expected = 0;
  for (const s of segments) {
    if (s.start !== expected || s.end <= s.start || s.done < 0 || s.done > s.end - s.start) return false;
    expected = s.end;
  }
  return segments.length > 0 && expected === size;
}

/**
 * Bytes on disk are the truth: a segment cannot have more done than the file holds. (A crash can lose the
 * file's tail but never the journal's older progress counts, so this only ever lowers them.)
 */
export function clampSegments(segments: readonly Segment[], fileLength: number): Segment[] {
  return segments.map((s) => ({ ...s, done: Math.max(0, Math.min(s.done, fileLength - s.start)) }));
}
