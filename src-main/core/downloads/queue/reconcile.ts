import type { JobRecord } from '../../store/job-record.ts';
import type { FileSystem } from '../disk/file-system.ts';
import { clampSegments, segmentsDone } from '../job/segments.ts';

/**
 * Bytes on disk are the truth: after a crash the journal's progress can be a fraction of a second behind
 * (or, after a power cut, ahead of) the .part file. Unfinished jobs take their byte counts from the file.
 */
export async function reconcileWithDisk(records: readonly JobRecord[], fs: FileSystem): Promise<void> {
  const unfinished = records.filter(
    (r) => r.job.path !== undefined && r.job.state !== 'done' && r.job.state !== 'canceled',
  );
  const batch = 32;
  for (let i = 0; i < unfinished.length; i += batch) {
    await Promise.all(unfinished.slice(i, i + batch).map((record) => reconcileOne(record, fs)));
  }
}

async function reconcileOne(record: JobRecord, fs: FileSystem): Promise<void> {
  const length = (await fs.stat(`${record.job.path}.part`))?.size ?? 0;
  const segments = record.transfer?.segments;
  if (segments && record.transfer) {
    record.transfer.segments = clampSegments(segments, length);
    record.job.bytesDone = segmentsDone(record.transfer.segments);
  } else {
    record.job.bytesDone = record.job.size === undefined ? length : Math.min(length, record.job.size);
  }
}
