import { describe, expect, it } from 'vitest';
import {
  batchDoneNotification,
  FailureTracker,
  failureNotification,
  shouldNotify,
} from '../../src-main/electron/notify-rules.ts';
import type { Job } from '../../src-shared/domain/job.ts';
import { stateJob } from '../support/queue-fixtures.ts';

const job = (id: string, state: Job['state'], message?: string): Job =>
  stateJob(id, state, message ? { error: { code: 'auth-rejected' as const, message } } : {});

describe('shouldNotify', () => {
  it('follows the setting and stays quiet while the user looks at the window', () => {
    expect(shouldNotify({ notifications: true }, false)).toBe(true);
    expect(shouldNotify({ notifications: true }, true)).toBe(false);
    expect(shouldNotify({ notifications: false }, false)).toBe(false);
  });
});

describe('batchDoneNotification', () => {
  it('says how many files came down', () => {
    expect(batchDoneNotification({ done: 12, failed: 0 })).toEqual({
      kind: 'batch-done',
      title: 'Downloads complete',
      body: '12 files downloaded.',
    });
    expect(batchDoneNotification({ done: 1, failed: 0 })?.body).toBe('1 file downloaded.');
  });

  it('says how many failed and where to look', () => {
    const spec = batchDoneNotification({ done: 10, failed: 2 });
    expect(spec?.title).toBe('Downloads finished with failures');
    expect(spec?.body).toBe('10 downloaded, 2 failed. Open the Queue to see why and retry.');
  });

  it('says nothing for an empty batch', () => {
    expect(batchDoneNotification({ done: 0, failed: 0 })).toBeNull();
  });
});

describe('failures', () => {
  it('names a single failed file with its reason', () => {
    const spec = failureNotification([job('4DNFI1', 'failed', 'Key rejected by data.4dnucleome.org')]);
    expect(spec).toEqual({
      kind: 'job-failed',
      title: 'Download failed: 4DNFI1.pairs.gz',
      body: 'Key rejected by data.4dnucleome.org',
    });
  });

  it('counts several failures in one notice', () => {
    const spec = failureNotification([job('a', 'failed', 'Disk full'), job('b', 'failed')]);
    expect(spec?.title).toBe('2 downloads failed');
    expect(spec?.body).toBe('First: a.pairs.gz: Disk full');
    expect(failureNotification([])).toBeNull();
  });

  it('announces each failure once, again only after a retry fails again', () => {
    const tracker = new FailureTracker();
    tracker.seed([job('old', 'failed')]);
    expect(
      tracker.update({ jobs: [job('old', 'failed'), job('a', 'failed')], removed: [] }).map((j) => j.id),
    ).toEqual(['a']);
    expect(tracker.update({ jobs: [job('a', 'failed')], removed: [] })).toEqual([]);
    expect(tracker.update({ jobs: [job('a', 'downloading')], removed: [] })).toEqual([]);
    expect(tracker.update({ jobs: [job('a', 'failed')], removed: [] }).map((j) => j.id)).toEqual(['a']);
  });

  it('forgets removed jobs', () => {
    const tracker = new FailureTracker();
    tracker.update({ jobs: [job('a', 'failed')], removed: [] });
    tracker.update({ jobs: [], removed: ['a'] });
    expect(tracker.update({ jobs: [job('a', 'failed')], removed: [] })).toHaveLength(1);
  });
});
