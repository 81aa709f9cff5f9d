import type { Job } from '../../../src-shared/domain/job.ts';
import {
  filterOf,
  isRunning,
  type Live,
  type QueueFilter,
  type QueueModel,
} from '../../store/queue-model.ts';
import { checksumLabel, reasonText, STATE_LABELS } from './job-labels.ts';

/** The queue's sortable columns (the state icon's column sorts by state in words). */
export type SortKey = 'state' | 'name' | 'size' | 'progress' | 'speed' | 'eta' | 'checksum' | 'reason';

/** A column the user clicked, or null: running files first, then the queue's own order (what runs next). */
export type QueueSort = { key: SortKey; dir: 'asc' | 'desc' } | null;

/** One header click: ascending, then descending, then back to the queue's order. */
export function nextSort(current: QueueSort, key: SortKey): QueueSort {
  if (current?.key !== key) return { key, dir: 'asc' };
  return current.dir === 'asc' ? { key, dir: 'desc' } : null;
}

type Value = string | number | undefined;

/** What each column sorts by; speed and time left are read when the sort is applied, not on every tick. */
const SORT_VALUE: Record<SortKey, (job: Job, live: Live | undefined) => Value> = {
  state: (job) => STATE_LABELS[job.state],
  name: (job) => job.name.toLowerCase(),
  size: (job) => job.size,
  progress: (job) => (job.size ? (job.state === 'done' ? 1 : job.bytesDone / job.size) : undefined),
  speed: (_job, live) => live?.speed,
  eta: (_job, live) => live?.eta,
  checksum: (job) => checksumLabel(job).text,
  reason: (job) => reasonText(job) || undefined,
};

/**
 * The rows to show, in order: the filter, then the name box (any part of the file name or what was given,
 * case ignored), then the sort. Rows without a value (no size yet, no speed) go last either way; ties keep
 * the queue's order.
 */
export function arrangeRows(
  model: Pick<QueueModel, 'ids' | 'jobs' | 'live'>,
  view: { filter: QueueFilter; text: string; sort: QueueSort },
): readonly string[] {
  const needle = view.text.trim().toLowerCase();
  const rows: Array<{ id: string; job: Job; index: number }> = [];
  model.ids.forEach((id, index) => {
    const job = model.jobs.get(id);
    if (!job) return;
    if (view.filter !== 'all' && filterOf(job.state) !== view.filter) return;
    if (needle && !`${job.name}\n${job.source}`.toLowerCase().includes(needle)) return;
    rows.push({ id, job, index });
  });
  const queueOrder = (a: (typeof rows)[number], b: (typeof rows)[number]) =>
    a.job.order !== undefined && b.job.order !== undefined ? a.job.order - b.job.order : a.index - b.index;
  const sort = view.sort;
  if (sort === null) {
    const rank = (job: Job) => (isRunning(job.state) ? 0 : 1);
    rows.sort((a, b) => rank(a.job) - rank(b.job) || queueOrder(a, b));
  } else {
    const read = SORT_VALUE[sort.key];
    const values = new Map(rows.map((row) => [row.id, read(row.job, model.live.get(row.id))]));
    const sign = sort.dir === 'asc' ? 1 : -1;
    rows.sort((a, b) => {
      const va = values.get(a.id);
      const vb = values.get(b.id);
      if (va === undefined || vb === undefined) {
        if (va !== vb) return va === undefined ? 1 : -1;
        return queueOrder(a, b);
      }
      const order =
        typeof va === 'number' && typeof vb === 'number' ? va - vb : String(va).localeCompare(String(vb));
      return sign * order || queueOrder(a, b);
    });
  }
  return rows.map((row) => row.id);
}
