import type { Job } from '../../../../src-shared/domain/job.ts';
import type { Settings } from '../../../../src-shared/domain/settings.ts';
import type { ConnectionPool } from '../../http/connection-pool.ts';
import type { JobStore } from '../../store/job-store.ts';
import type { DiskSpace } from '../disk/disk.ts';
import type { FileSystem } from '../disk/file-system.ts';
import type { Clock } from '../queue/clock.ts';
import type { Semaphore } from '../queue/semaphore.ts';
import type { RateLimiter } from '../transfer/rate-limit.ts';
import type { JobStatus } from './job-status.ts';
import type { RecoveryOptions } from './retry-policy.ts';
import type { BundleMember } from './source.ts';

/** Shared by every job run: the engine builds these once. */
export interface RunDeps {
  http: ConnectionPool;
  limiter: RateLimiter;
  clock: Clock;
  fs: FileSystem;
  disk: DiskSpace;
  store: JobStore;
  /** Bounds open files across all jobs. */
  handles: Semaphore;
  stallTimeoutMs: () => number;
  retry: Partial<RecoveryOptions>;
  settings: () => Settings;
}

/** How a run reports back to the engine. */
export interface RunHooks {
  /** State or fields changed: persist now and tell the UI. */
  changed(): void;
  /** Bytes moved: persist with the next batch and count toward speed. */
  progressed(): void;
  /**
   * Claims a final path for this job (releasing any it held before); false when another job in the queue
   * holds it. Synchronous, so a check on disk followed by a claim cannot interleave with another job's.
   */
  tryClaimPath(path: string): boolean;
  /** Bytes this run still needs on disk (0 when it ends), so parallel jobs do not count the same free space. */
  reserveSpace(bytes: number): void;
  reservedByOthers(): number;
  /** Queues a bundle's files, each under its folder below `destDir`, as jobs of this job's profile. */
  queueMembers(members: readonly BundleMember[], destDir: string): number;
}

/** One run's own parts, as its helpers (naming, verification, bundles) use them. */
export interface RunContext {
  job: Job;
  signal: AbortSignal;
  deps: RunDeps;
  hooks: RunHooks;
  status: JobStatus;
}
