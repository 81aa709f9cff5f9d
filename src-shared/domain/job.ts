import { z } from 'zod';
import { Checksum } from './drs.ts';
import { ErrorInfo } from './errors.ts';

export const JobState = z.enum([
  'queued',
  'resolving',
  'downloading',
  'verifying',
  'done',
  'failed',
  'paused',
  'canceled',
]);
export type JobState = z.infer<typeof JobState>;

/** What the checksum check found. 'unverified' = the server gave no checksum at all. */
export const Verification = z.enum([
  'pending',
  'verified',
  'unverifiable',
  'mismatch',
  'unverified',
  'skipped',
]);
export type Verification = z.infer<typeof Verification>;

export const Attempt = z.object({
  at: z.string(),
  error: ErrorInfo.optional(),
  /** What the engine did about it, in words: "got a fresh link and resumed at 1.2 GiB". */
  action: z.string().optional(),
  /** This try ended its run: the job failed with this error (a Retry that fails again adds another). */
  failed: z.boolean().optional(),
});
export type Attempt = z.infer<typeof Attempt>;

export const Job = z.object({
  id: z.string(),
  /** What the user gave: accession, drs:// URI, portal URL... */
  source: z.string(),
  profile: z.string().optional(),
  destDir: z.string(),
  /** File name once known (<ACC>.<ext>), else a placeholder derived from the source. */
  name: z.string(),
  /** Absolute final path once known. */
  path: z.string().optional(),
  size: z.number().int().nonnegative().optional(),
  bytesDone: z.number().int().nonnegative(),
  state: JobState,
  checksum: Checksum.optional(),
  verification: Verification,
  error: ErrorInfo.optional(),
  /** Plain-words note on the last recovery ("Link expired: got a fresh one and resumed"). */
  note: z.string().optional(),
  attempts: z.array(Attempt),
  drsUri: z.string().optional(),
  /** Set on a DRS bundle's job once its files are queued (as jobs of their own): how many there were. */
  bundleFiles: z.number().int().nonnegative().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** Queue position, lower runs first: set on every job the core sends out (not kept in the job itself). */
  order: z.number().optional(),
});
export type Job = z.infer<typeof Job>;

export const JobProgress = z.object({
  id: z.string(),
  state: JobState,
  bytesDone: z.number(),
  size: z.number().optional(),
  /** Bytes per second, smoothed. */
  speed: z.number(),
  /** Seconds left, when it can be told. */
  eta: z.number().optional(),
});
export type JobProgress = z.infer<typeof JobProgress>;

export const QueueTotals = z.object({
  jobs: z.number(),
  active: z.number(),
  queued: z.number(),
  done: z.number(),
  failed: z.number(),
  paused: z.number(),
  bytesDone: z.number(),
  bytesTotal: z.number(),
  speed: z.number(),
  eta: z.number().optional(),
});
export type QueueTotals = z.infer<typeof QueueTotals>;

/** An empty queue's totals: every count and byte at zero, no speed, no estimate. */
export function emptyTotals(): QueueTotals {
  return {
    jobs: 0,
    active: 0,
    queued: 0,
    done: 0,
    failed: 0,
    paused: 0,
    bytesDone: 0,
    bytesTotal: 0,
    speed: 0,
  };
}

/** What the queue already has of a file (queue:lookup): verified on disk, on disk unverified, queued, failed. */
export const QueueMark = z.enum(['verified', 'downloaded', 'queued', 'failed']);
export type QueueMark = z.infer<typeof QueueMark>;
