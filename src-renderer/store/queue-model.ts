import type { Job, JobProgress, JobState, QueueTotals } from '../../src-shared/domain/job.ts';
import { unfinishedCount } from '../../src-shared/overall-progress.ts';

/**
 * The queue as the UI holds it: jobs by id plus one ordered id list. Updates copy the maps once per batch
 * and touch only the jobs that changed, so a progress tick over 10,000 jobs costs what the tick carries.
 * The id list is rebuilt only when jobs are added or removed: rows keep their place when states change.
 */
/** 'unfinished' is queued, running or paused; the core's (and the header's) "active" means running only. */
export type QueueFilter = 'all' | 'unfinished' | 'done' | 'failed';
export const QUEUE_FILTERS: readonly QueueFilter[] = ['all', 'unfinished', 'done', 'failed'];

export interface Live {
  /** Bytes per second, smoothed by the core. */
  speed: number;
  eta?: number | undefined;
}

export interface QueueStats {
  byState: Readonly<Record<JobState, number>>;
  /** Over jobs not canceled: what the header's overall progress shows. */
  bytesDone: number;
  bytesTotal: number;
}

export interface QueueModel {
  ids: readonly string[];
  jobs: ReadonlyMap<string, Job>;
  live: ReadonlyMap<string, Live>;
  stats: QueueStats;
  /**
   * Bumped when the id list changes, a job moves between filters, starts or stops running (running rows come
   * first) or changes place in the queue; the visible rows and their order depend on nothing else.
   */
  shapeVersion: number;
  speed: number;
  eta?: number | undefined;
}

const UNFINISHED_STATES: ReadonlySet<JobState> = new Set([
  'queued',
  'resolving',
  'downloading',
  'verifying',
  'paused',
]);
const RUNNING_STATES: ReadonlySet<JobState> = new Set(['resolving', 'downloading', 'verifying']);

export function filterOf(state: JobState): QueueFilter {
  if (UNFINISHED_STATES.has(state)) return 'unfinished';
  if (state === 'done') return 'done';
  if (state === 'failed') return 'failed';
  return 'all';
}

export function isRunning(state: JobState): boolean {
  return RUNNING_STATES.has(state);
}

function zeroStats(): QueueStats {
  return {
    byState: {
      queued: 0,
      resolving: 0,
      downloading: 0,
      verifying: 0,
      done: 0,
      failed: 0,
      paused: 0,
      canceled: 0,
    },
    bytesDone: 0,
    bytesTotal: 0,
  };
}

/** Adds (sign 1) or takes away (sign -1) one job's share of the stats, in place on a copy. */
function account(
  stats: { byState: Record<JobState, number>; bytesDone: number; bytesTotal: number },
  job: Job,
  sign: 1 | -1,
) {
  stats.byState[job.state] += sign;
  if (job.state === 'canceled') return;
  stats.bytesDone += sign * job.bytesDone;
  stats.bytesTotal += sign * (job.size ?? 0);
}

function copyStats(stats: QueueStats) {
  return { byState: { ...stats.byState }, bytesDone: stats.bytesDone, bytesTotal: stats.bytesTotal };
}

export function emptyModel(): QueueModel {
  return { ids: [], jobs: new Map(), live: new Map(), stats: zeroStats(), shapeVersion: 0, speed: 0 };
}

export function modelFromSnapshot(jobs: readonly Job[], totals?: QueueTotals): QueueModel {
  const byId = new Map<string, Job>();
  const ids: string[] = [];
  const stats = copyStats(zeroStats());
  for (const job of jobs) {
    if (byId.has(job.id)) continue;
    byId.set(job.id, job);
    ids.push(job.id);
    account(stats, job, 1);
  }
  return {
    ids,
    jobs: byId,
    live: new Map(),
    stats,
    shapeVersion: 1,
    speed: totals?.speed ?? 0,
    eta: totals?.eta,
  };
}

/** Whether a job's change can move its row: another filter, running or not, another place in the queue. */
function movesRow(old: Job, next: Job): boolean {
  return (
    filterOf(old.state) !== filterOf(next.state) ||
    isRunning(old.state) !== isRunning(next.state) ||
    old.order !== next.order
  );
}

/** Upserts changed jobs (new ones go to the end) and drops removed ids. */
export function applyChanges(
  model: QueueModel,
  upserts: Iterable<Job>,
  removed: Iterable<string>,
): QueueModel {
  const jobs = new Map(model.jobs);
  const live = new Map(model.live);
  const stats = copyStats(model.stats);
  let shapeChanged = false;
  let added: string[] | null = null;
  let gone: Set<string> | null = null;
  for (const id of removed) {
    const old = jobs.get(id);
    if (!old) continue;
    account(stats, old, -1);
    jobs.delete(id);
    live.delete(id);
    gone ??= new Set();
    gone.add(id);
  }
  for (const job of upserts) {
    const old = jobs.get(job.id);
    if (old) {
      account(stats, old, -1);
      if (movesRow(old, job)) shapeChanged = true;
    } else if (!gone?.delete(job.id)) {
      // (Removed and re-added in one batch, it keeps its old place.)
      added ??= [];
      added.push(job.id);
    }
    account(stats, job, 1);
    jobs.set(job.id, job);
    if (!isRunning(job.state)) live.delete(job.id);
  }
  let ids = model.ids;
  if (gone?.size) ids = ids.filter((id) => !gone.has(id));
  if (added) ids = ids.concat(added);
  if (ids !== model.ids) shapeChanged = true;
  const anyRunning = runningCount(stats) > 0;
  return {
    ids,
    jobs,
    live,
    stats,
    shapeVersion: shapeChanged ? model.shapeVersion + 1 : model.shapeVersion,
    speed: anyRunning ? model.speed : 0,
    eta: anyRunning ? model.eta : undefined,
  };
}

/** Applies one (coalesced) progress batch: bytes, state and size per job, speed and time left. */
export function applyProgress(
  model: QueueModel,
  progress: Iterable<JobProgress>,
  totals?: QueueTotals,
): QueueModel {
  let jobs: Map<string, Job> | null = null;
  const live = new Map(model.live);
  const stats = copyStats(model.stats);
  let shapeChanged = false;
  for (const p of progress) {
    const old = (jobs ?? model.jobs).get(p.id);
    if (!old) continue;
    if (isRunning(p.state)) live.set(p.id, { speed: p.speed, eta: p.eta });
    else live.delete(p.id);
    const size = p.size ?? old.size;
    if (old.bytesDone === p.bytesDone && old.state === p.state && old.size === size) continue;
    const next: Job = { ...old, bytesDone: p.bytesDone, state: p.state, size };
    jobs ??= new Map(model.jobs);
    jobs.set(p.id, next);
    account(stats, old, -1);
    account(stats, next, 1);
    if (movesRow(old, next)) shapeChanged = true;
  }
  return {
    ids: model.ids,
    jobs: jobs ?? model.jobs,
    live,
    stats,
    shapeVersion: shapeChanged ? model.shapeVersion + 1 : model.shapeVersion,
    speed: totals ? totals.speed : model.speed,
    eta: totals ? totals.eta : model.eta,
  };
}

export function visibleIds(model: Pick<QueueModel, 'ids' | 'jobs'>, filter: QueueFilter): readonly string[] {
  if (filter === 'all') return model.ids;
  return model.ids.filter((id) => {
    const job = model.jobs.get(id);
    return job !== undefined && filterOf(job.state) === filter;
  });
}

export function filterCounts(stats: QueueStats): Record<QueueFilter, number> {
  const s = stats.byState;
  return {
    all: Object.values(s).reduce((a, b) => a + b, 0),
    unfinished: unfinishedCount({ running: runningCount(stats), queued: s.queued, paused: s.paused }),
    done: s.done,
    failed: s.failed,
  };
}

/** Jobs moving bytes or checking them now: what the header calls active. */
export function runningCount(stats: QueueStats): number {
  return stats.byState.resolving + stats.byState.downloading + stats.byState.verifying;
}

/**
 * The notice for a finished batch, from the queue as the UI shows it, so its numbers agree with the rows:
 * null while anything still runs or verifies (the batch is not finished until then).
 */
export function batchNotice(
  batch: { done: number; failed: number },
  stats: QueueStats,
): { kind: 'success' | 'error'; text: string } | null {
  if (runningCount(stats) > 0) return null;
  const waiting = filterCounts(stats).unfinished;
  const left = waiting > 0 ? ` ${waiting} still waiting or paused in the Queue.` : '';
  if (batch.failed > 0)
    return {
      kind: 'error',
      text: `Batch finished: ${batch.done} done, ${batch.failed} failed. See Failed in the Queue.${left}`,
    };
  return {
    kind: 'success',
    text: `Batch finished: ${batch.done} ${batch.done === 1 ? 'file' : 'files'} done.${left}`,
  };
}
