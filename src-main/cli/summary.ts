import type { Checksum } from '../../src-shared/domain/drs.ts';
import type { ErrorInfo } from '../../src-shared/domain/errors.ts';
import type { Rejected } from '../../src-shared/domain/ids.ts';
import type { Job } from '../../src-shared/domain/job.ts';
import { EXIT } from './exit-codes.ts';

/** One file in the `--json` summary (README's command-line section), plus `unverified` for files with no checksum. */
export interface FileReport {
  id: string;
  path: string | null;
  size: number | null;
  checksum: Checksum | null;
  status: 'verified' | 'skipped' | 'unverified' | 'failed';
  error?: ErrorInfo;
}

export interface Summary {
  ok: number;
  failed: number;
  files: FileReport[];
}

export function reportFor(job: Job): FileReport {
  const base = {
    id: job.source,
    path: job.path ?? null,
    size: job.size ?? null,
    checksum: job.checksum ?? null,
  };
  if (job.state !== 'done') {
    const error = job.error ?? { code: 'canceled' as const, message: `Stopped while ${job.state}.` };
    return { ...base, status: 'failed', error };
  }
  if (job.verification === 'verified') return { ...base, status: 'verified' };
  if (job.verification === 'skipped') return { ...base, status: 'skipped' };
  // Done, but nothing proved the bytes right: never reported as verified.
  const message =
    job.verification === 'unverifiable'
      ? `Downloaded, but its checksum (${job.checksum?.type ?? 'unknown type'}) cannot be checked.`
      : 'Downloaded, but the server gave no checksum to check it against.';
  return { ...base, status: 'unverified', error: { code: 'unverifiable', message } };
}

/** Where a rejected line came from: `argument`, or `list.txt:12`. */
export function rejectedPlace(rejected: Rejected & { source: string }): string {
  return rejected.source === 'argument' ? 'argument' : `${rejected.source}:${rejected.line}`;
}

/** A requested id that never reached the queue (unsupported form, malformed line, another site's URL): failed. */
export function reportForRejected(rejected: Rejected & { source: string }): FileReport {
  return {
    id: rejected.text,
    path: null,
    size: null,
    checksum: null,
    status: 'failed',
    error: {
      code: 'bad-input',
      message: `${rejectedPlace(rejected)}: ${rejected.reason}`,
    },
  };
}

export function summarise(files: FileReport[]): Summary {
  const ok = files.filter((f) => f.status === 'verified' || f.status === 'skipped').length;
  return { ok, failed: files.length - ok, files };
}

/** 0 when every file is verified or skipped; 3 when a key was rejected; otherwise 1. */
export function exitCodeForSummary(summary: Summary): number {
  if (summary.failed === 0) return EXIT.ok;
  if (summary.files.some((f) => f.error?.code === 'auth-rejected')) return EXIT.authRejected;
  return EXIT.failed;
}

export function describeReport(file: FileReport): string {
  const name = file.path ?? file.id;
  switch (file.status) {
    case 'verified':
      return `✓ ${name}  ${file.checksum?.type ?? ''} verified`;
    case 'skipped':
      return `✓ ${name}  already present and verified`;
    case 'unverified':
      return `? ${name}  ${file.error?.message ?? 'not verified'}`;
    case 'failed':
      return `✗ ${file.id}  ${file.error?.message ?? 'failed'}`;
  }
}
