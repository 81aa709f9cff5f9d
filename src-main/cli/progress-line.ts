import type { QueueTotals } from '../../src-shared/domain/job.ts';
import { formatBytes, formatDuration, formatRate } from '../../src-shared/format.ts';

/** One terminal line of overall progress: a bar, bytes, speed, time left and files done. */
export function progressLine(totals: QueueTotals, width: number): string {
  const fraction = totals.bytesTotal > 0 ? Math.min(1, totals.bytesDone / totals.bytesTotal) : 0;
  const finished = totals.done + totals.failed;
  const text = ` ${(fraction * 100).toFixed(0).padStart(3)}%  ${formatBytes(totals.bytesDone)}/${formatBytes(
    totals.bytesTotal,
  )}  ${formatRate(totals.speed)}  ${formatDuration(totals.eta ?? Number.POSITIVE_INFINITY)}  ${finished}/${totals.jobs} files`;
  const barWidth = Math.max(10, Math.min(40, width - text.length - 3));
  const filled = Math.round(fraction * barWidth);
  return `[${'#'.repeat(filled)}${'-'.repeat(barWidth - filled)}]${text}`.slice(0, Math.max(20, width - 1));
}
