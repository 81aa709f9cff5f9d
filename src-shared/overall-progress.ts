/**
 * The queue's overall progress and its one count, defined once for every surface that shows them: the
 * header and the window title (from the UI's copy of the queue), the tray and the dock / taskbar (from the
 * core's totals). Both copies count bytes over every job that is not canceled.
 */

/** Bytes done over the bytes of every sized job, 0..1; undefined while no size is known. */
export function overallFraction(bytes: { bytesDone: number; bytesTotal: number }): number | undefined {
  if (!(bytes.bytesTotal > 0) || !Number.isFinite(bytes.bytesDone)) return undefined;
  return Math.min(1, Math.max(0, bytes.bytesDone / bytes.bytesTotal));
}

/** Jobs not finished (running, waiting or paused): the Queue's badge, the header's count and the dock's badge. */
export function unfinishedCount(counts: { running: number; queued: number; paused: number }): number {
  return counts.running + counts.queued + counts.paused;
}
