import type { TransferState } from '../../store/job-record.ts';
import type { PartFile } from '../disk/part-file.ts';
import type { VerificationPlan } from '../hashing/checksum.ts';
import type { TransferDeps } from '../transfer/transfer.ts';

export interface StorageLink {
  url: string;
  headers: Record<string, string>;
}

/** What a download strategy (single stream or segments) gets from the job run it works for. */
export interface TransferSession {
  readonly signal: AbortSignal;
  readonly transferDeps: TransferDeps;
  readonly stallTimeoutMs: number;
  readonly plan: VerificationPlan;
  /** Persisted per-job transfer state (ETag, segment map, noRanges); edits are saved with progress. */
  readonly state: TransferState;
  /** The file's size when known; strategies set it when a response tells it. */
  size: number | undefined;
  /** Whether the final name (and so the .part path) is fixed yet. */
  readonly committed: boolean;
  /** Fixes the name from the first response when the storage URL did not carry one. */
  commitAtResponse(link: StorageLink, contentDisposition: string | undefined): Promise<void>;
  /** The open .part file (opened, with a free-space check, on first use). */
  part(): Promise<PartFile>;
  /** Bytes in the .part file right now: bytes on disk are the truth for resume. */
  partLength(): Promise<number>;
  /** A fresh storage URL: asked for before every start and resume, never cached. */
  freshLink(): Promise<StorageLink>;
  /** Bytes on disk so far, for progress and persistence. */
  setBytesDone(bytes: number): void;
  /** Decides about a failure: returns after any backoff, or throws when the job must stop. */
  recover(error: unknown, offset: number, signal?: AbortSignal): Promise<'resume' | 'restart'>;
  /** A recovery without an error, in words, for the job's note and history. */
  note(text: string): void;
}
