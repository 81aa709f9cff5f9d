import type { Checksum } from '../../../src-shared/domain/drs.ts';
import type { ParsedId } from '../../../src-shared/domain/ids.ts';
import { Job } from '../../../src-shared/domain/job.ts';
import type { Segment } from '../downloads/job/segments.ts';

/** What the engine keeps per file beyond the Job the UI sees: enough to resume after a crash. */
export interface TransferState {
  /** Storage ETag from the first response, sent as If-Range on resume (stable across presigned URLs). */
  etag?: string;
  /** Segment map of a segmented download; absent for single-stream downloads. */
  segments?: Segment[];
  /** Checksum mismatches since the last user action: a second one fails the job. */
  mismatches?: number;
  /** The server ignored or mangled Range: fetch the file whole, no segments. */
  noRanges?: boolean;
}

export interface JobRecord {
  job: Job;
  /** Queue position: lower runs first. */
  order: number;
  /** What the queue is de-duplicated by (URL, or accession plus file name), with the destination folder. */
  key: string;
  parsedId?: ParsedId;
  /** Hints from a manifest (metadata TSV): md5 of the stored bytes and size. */
  hints?: { md5?: string; size?: number };
  transfer?: TransferState;
}

/** A file this app hashed and found matching, so reruns need not hash it again while it is unchanged. */
export interface VerifiedEntry {
  path: string;
  size: number;
  mtimeMs: number;
  checksum: Checksum;
}

/** Accepts a journal record when its job still parses: a record from a newer or broken build is dropped. */
export function reviveRecord(value: unknown): JobRecord | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const record = value as Partial<JobRecord>;
  const job = Job.safeParse(record.job);
  if (!job.success || typeof record.order !== 'number' || typeof record.key !== 'string') return undefined;
  return { ...(record as JobRecord), job: job.data };
}

export function reviveVerified(value: unknown): VerifiedEntry | undefined {
  const entry = value as Partial<VerifiedEntry> | null;
  if (
    !entry ||
    typeof entry.path !== 'string' ||
    typeof entry.size !== 'number' ||
    typeof entry.mtimeMs !== 'number' ||
    typeof entry.checksum?.type !== 'string' ||
    typeof entry.checksum.value !== 'string'
  ) {
    return undefined;
  }
  return entry as VerifiedEntry;
}
