import { emptyTotals, type Job, type QueueTotals } from '../../src-shared/domain/job.ts';

/** Queue totals with everything at zero but what the test sets. */
export function makeTotals(overrides: Partial<QueueTotals> = {}): QueueTotals {
  return { ...emptyTotals(), ...overrides };
}

/** A minimal job in a given state, named `<id>.pairs.gz`. */
export function stateJob(id: string, state: Job['state'], overrides: Partial<Job> = {}): Job {
  return {
    id,
    source: id,
    destDir: '/d',
    name: `${id}.pairs.gz`,
    bytesDone: 0,
    state,
    verification: 'pending',
    attempts: [],
    createdAt: '2025-01-01T00:00:00Z',
    updatedAt: '2025-01-01T00:00:00Z',
    ...overrides,
  };
}
