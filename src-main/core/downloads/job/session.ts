import type { PartFile } from '../disk/part-file.ts';
import type { VerificationPlan } from '../hashing/checksum.ts';
import type { TransferDeps } from '../transfer/transfer.ts';

export interface StorageLink {
  url: string;
  headers: Record<string, string>;
}

/** What a run asks a download strategy (single stream or segments) to fetch: values, read once at the start. */
export interface TransferRequest {
  /** The link fetched for the start; an attempt after a failure asks the session for a fresh one. */
  first: StorageLink;
  /** Segmented downloads: how many pieces are fetched at once (the `segments` setting). */
  connections: number;
  plan: VerificationPlan;
  /** The file's size when known. */
  size: number | undefined;
  /** The ETag of an earlier response, sent as If-Range. */
  etag: string | undefined;
  /** The server ignored or mangled Range before: fetch the file whole. */
  noRanges: boolean;
  /** Whether the final name (and so the .part path) is fixed; if not, the first response fixes it. */
  named: boolean;
  signal: AbortSignal;
  transferDeps: TransferDeps;
  stallTimeoutMs: number;
}

/** What a strategy hands back when the bytes are all in the .part file. */
export interface TransferResult {
  /** Hex digest computed on the way, when the plan has a hash and it could be. */
  digest: string | undefined;
  /** The file's size: as known before, or as the response (or the body's end) told it. */
  size: number | undefined;
}

/** What a response told, reported as it arrives so it is saved with the progress (a crash keeps it). */
export interface ResponseFacts {
  etag?: string;
  size?: number;
  /** Storage did not honour the range: resumes must start over. */
  noRanges?: true;
}

/** The response that may fix the file's name (Content-Disposition) when the storage URL did not carry one. */
export interface NamingResponse {
  link: StorageLink;
  contentDisposition: string | undefined;
}

/**
 * What a strategy may use while it fetches (job-session.ts implements it). A strategy only asks for things and
 * reports: what it found out is its result, never a field it sets on the run.
 */
export interface TransferSession {
  /** The open .part file (opened, with a free-space check, on first use); `response` fixes a name not yet fixed. */
  part(response?: NamingResponse): Promise<PartFile>;
  /** Bytes in the .part file right now: bytes on disk are the truth for resume. */
  partLength(): Promise<number>;
  /** A fresh storage URL: asked for before every resume, never cached. */
  freshLink(): Promise<StorageLink>;
  /** Bytes on disk so far, for progress and persistence. */
  progressed(bytes: number): void;
  learned(facts: ResponseFacts): void;
  /** Decides about a failure: returns after any backoff, or throws when the job must stop. */
  recover(error: unknown, offset: number, signal?: AbortSignal): Promise<'resume' | 'restart'>;
  /** A recovery without an error, in words, for the job's note and history. */
  note(text: string): void;
}
