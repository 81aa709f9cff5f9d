import type { Job, JobState } from '../../../src-shared/domain/job.ts';

export const STATE_LABELS: Readonly<Record<JobState, string>> = {
  queued: 'Queued',
  resolving: 'Resolving',
  downloading: 'Downloading',
  verifying: 'Verifying',
  done: 'Done',
  failed: 'Failed',
  paused: 'Paused',
  canceled: 'Canceled',
};

export type Tone = 'ok' | 'warn' | 'bad' | 'muted';

/** What the checksum column says, and in which colour: green only for a verified file. */
export function checksumLabel(job: Pick<Job, 'state' | 'verification' | 'checksum' | 'bundleFiles'>): {
  text: string;
  tone: Tone;
} {
  // A bundle's own row has no bytes to check: its files are verified in their own rows.
  if (job.bundleFiles !== undefined) return { text: `bundle of ${job.bundleFiles} file(s)`, tone: 'muted' };
  const type = job.checksum?.type ?? 'checksum';
  switch (job.verification) {
    case 'verified':
      return { text: `${type} verified`, tone: 'ok' };
    case 'skipped':
      return { text: `${type} verified earlier`, tone: 'ok' };
    case 'unverifiable':
      return { text: 'unverifiable', tone: 'warn' };
    case 'mismatch':
      return { text: `${type} mismatch`, tone: 'bad' };
    case 'unverified':
      return { text: 'unverified', tone: 'muted' };
    default:
      // A file that stopped for good before its check is not waiting for one: "pending" would promise it.
      if (job.state === 'failed' || job.state === 'canceled') return { text: 'not checked', tone: 'muted' };
      return { text: job.checksum ? `${type} pending` : 'pending', tone: 'muted' };
  }
}

/**
 * Which try of a failed job this is and when it ended ("Try 2, 14:02:11"), so a Retry that fails again at once
 * visibly changes its row; undefined for a first failure (its reason alone says it all).
 */
export function lastTryText(job: Pick<Job, 'attempts'>): string | undefined {
  const tries = job.attempts.filter((attempt) => attempt.failed);
  const last = tries.at(-1);
  if (!last || tries.length < 2) return undefined;
  const at = new Date(last.at);
  return `Try ${tries.length}, ${Number.isNaN(at.getTime()) ? last.at : at.toLocaleTimeString()}`;
}

/** The plain-words reason shown beside a job: why it failed or paused, or what the engine did about a hiccup. */
export function reasonText(job: Pick<Job, 'state' | 'error' | 'note' | 'attempts'>): string {
  if (job.state === 'failed') {
    const reason = job.error?.message ?? job.note ?? 'Failed';
    const tried = lastTryText(job);
    return tried ? `${tried}: ${reason}` : reason;
  }
  if (job.state === 'paused') return job.note ?? job.error?.message ?? 'Paused by you';
  return job.note ?? '';
}

/** The full path on hover: the final path once known, else where it will go. */
export function jobPath(job: Pick<Job, 'path' | 'destDir' | 'name'>): string {
  if (job.path) return job.path;
  const sep = job.destDir.includes('\\') && !job.destDir.includes('/') ? '\\' : '/';
  return job.destDir.endsWith(sep) ? `${job.destDir}${job.name}` : `${job.destDir}${sep}${job.name}`;
}

/**
 * What the details pane says when no try is on record (only tries that hit an error are kept): a file already
 * downloaded or under way has been tried, so "Not tried yet" is only for one still waiting its turn.
 */
export function noAttemptsText(state: JobState): string {
  switch (state) {
    case 'done':
      return 'Downloaded at the first try, without errors.';
    case 'downloading':
    case 'verifying':
      return 'First try under way, no errors so far.';
    case 'queued':
    case 'resolving':
      return 'Not tried yet.';
    default:
      return 'No errors on record.';
  }
}
