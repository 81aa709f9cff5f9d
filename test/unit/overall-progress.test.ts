import { describe, expect, it } from 'vitest';
import { computeTotals } from '../../src-main/core/downloads/queue/progress.ts';
import { badgeCount, taskbarProgress } from '../../src-main/electron/desktop-rules.ts';
import { progressTitle } from '../../src-renderer/components/progress-text.ts';
import { filterCounts, modelFromSnapshot, runningCount } from '../../src-renderer/store/queue-model.ts';
import { overallFraction, unfinishedCount } from '../../src-shared/overall-progress.ts';
import { stateJob } from '../support/queue-fixtures.ts';

describe('overall progress: one definition', () => {
  it('is bytes done over bytes known, kept within 0..1, unknown without sizes', () => {
    expect(overallFraction({ bytesDone: 250, bytesTotal: 1000 })).toBe(0.25);
    expect(overallFraction({ bytesDone: 1200, bytesTotal: 1000 })).toBe(1);
    expect(overallFraction({ bytesDone: -5, bytesTotal: 1000 })).toBe(0);
    expect(overallFraction({ bytesDone: 10, bytesTotal: 0 })).toBeUndefined();
    expect(overallFraction({ bytesDone: Number.NaN, bytesTotal: 10 })).toBeUndefined();
    expect(unfinishedCount({ running: 2, queued: 3, paused: 1 })).toBe(6);
  });

  it('gives the dock / taskbar the same fraction and count as the header, title and Queue badge', () => {
    // A queue of every kind: running, waiting, paused, done, failed, canceled (not counted), one size unknown.
    const jobs = [
      stateJob('a', 'downloading', { size: 1000, bytesDone: 300 }),
      stateJob('b', 'verifying', { size: 500, bytesDone: 500 }),
      stateJob('c', 'queued', { size: 2000 }),
      stateJob('d', 'paused', { size: 1000, bytesDone: 700 }),
      stateJob('e', 'done', { size: 400, bytesDone: 400 }),
      stateJob('f', 'failed', { size: 100, bytesDone: 20 }),
      stateJob('g', 'canceled', { size: 9000, bytesDone: 10 }),
      stateJob('h', 'resolving'),
    ];
    const core = computeTotals(jobs, () => 0);
    const ui = modelFromSnapshot(jobs, core);
    const fraction = overallFraction(ui.stats) as number;
    expect(fraction).toBeCloseTo(1920 / 5000);
    expect(taskbarProgress(core)).toEqual({ progress: fraction, mode: 'error' });
    expect(progressTitle(ui)).toBe('38.4% · 4DN Downloader');
    expect(core.active).toBe(runningCount(ui.stats));
    // The dock's badge is the window's Queue badge: running, waiting and paused.
    expect(badgeCount(core)).toBe(filterCounts(ui.stats).unfinished);
    expect(badgeCount(core)).toBe(5);
  });
});
