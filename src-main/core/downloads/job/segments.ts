/** One piece [start, end) of a file, fetched by its own ranged GET; `done` bytes from `start` are on disk. */
export interface Segment {
  start: number;
  end: number;
  done: number;
}

/**
 * Pieces per connection, at most. Connections take the pieces in file order, so the contiguous prefix (which the
 * hash follows) grows all through the download and only the last round of pieces is left to hash after the last
 * byte: with one range per connection all but the first range would be (3/4 of the file with 4 connections).
 * docs/architecture.md, "Segments".
 */
export const PIECES_PER_CONNECTION = 8;
/** Each piece costs a ranged GET and its round trip: pieces are no smaller than this (nor than minSegmentSize). */
export const MIN_PIECE = 8 * 1024 * 1024;

/**
 * Splits a file into near-equal pieces fetched `segments` at a time: at least one piece per connection, at most
 * PIECES_PER_CONNECTION, each at least MIN_PIECE where there are more pieces than connections. Returns
 * undefined when the file should come in one stream: smaller than segments x minSegmentSize, or of unknown size.
 */
export function planSegments(
  size: number | undefined,
  options: { segments: number; minSegmentSize: number },
): Segment[] | undefined {
  const connections = Math.floor(options.segments);
  if (!size || connections <= 1 || size < connections * options.minSegmentSize) return undefined;
  const bySize = Math.floor(size / Math.max(MIN_PIECE, options.minSegmentSize));
  const count = Math.min(connections * PIECES_PER_CONNECTION, Math.max(connections, bySize));
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
