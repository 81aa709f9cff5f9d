import { describe, expect, it } from 'vitest';
import {
  type TrayMenuItem,
  trayIconFile,
  trayMenuModel,
  trayState,
  trayTitle,
  trayTooltip,
} from '../../src-main/electron/tray-model.ts';
import { makeTotals } from '../support/queue-fixtures.ts';

const GiB = 1024 ** 3;
const totals = makeTotals;
const downloading = totals({
  jobs: 20,
  active: 3,
  queued: 5,
  done: 12,
  bytesDone: 1.23 * GiB,
  bytesTotal: 3 * GiB,
  speed: 41 * 1024 ** 2,
  eta: 252,
});

const labels = (items: TrayMenuItem[]) =>
  items.map((item) => (item.kind === 'separator' ? '---' : item.label));
const action = (items: TrayMenuItem[], id: string) =>
  items.find(
    (item): item is Extract<TrayMenuItem, { kind: 'action' }> => item.kind === 'action' && item.id === id,
  );

describe('trayMenuModel', () => {
  it('shows counts, overall progress and the four actions while downloading', () => {
    const items = trayMenuModel(downloading, { windowVisible: false });
    expect(labels(items)).toEqual([
      '3 active, 5 queued',
      '41% of 3.0 GiB · 41.0 MiB/s · 4m 12s left',
      '---',
      'Pause all',
      'Resume all',
      '---',
      'Open 4DN Downloader',
      'Quit 4DN Downloader',
    ]);
    expect(action(items, 'pause-all')?.enabled).toBe(true);
    expect(action(items, 'resume-all')?.enabled).toBe(false);
    expect(items.filter((item) => item.kind === 'label')).toHaveLength(2);
  });

  it('offers Resume all when something is paused, Pause all when nothing runs or waits', () => {
    const items = trayMenuModel(totals({ jobs: 4, paused: 2, failed: 1, done: 1 }), { windowVisible: true });
    expect(labels(items)[0]).toBe('2 paused, 1 failed');
    expect(action(items, 'pause-all')?.enabled).toBe(false);
    expect(action(items, 'resume-all')?.enabled).toBe(true);
    expect(action(items, 'open-window')?.label).toBe('Show 4DN Downloader');
  });

  it('has no progress line when idle, and says so plainly', () => {
    expect(labels(trayMenuModel(undefined, { windowVisible: true }))[0]).toBe('No downloads');
    expect(labels(trayMenuModel(totals({ jobs: 3, done: 3 }), { windowVisible: true }))[0]).toBe(
      'All 3 downloads done',
    );
    expect(trayMenuModel(totals({ jobs: 1, done: 1 }), { windowVisible: true }).map((i) => i.kind)).toEqual([
      'label',
      'separator',
      'action',
      'action',
      'separator',
      'action',
      'action',
    ]);
  });

  it('always lets the user open the window and quit', () => {
    for (const state of [undefined, downloading, totals({ paused: 1, jobs: 1 })]) {
      const items = trayMenuModel(state, { windowVisible: false });
      expect(action(items, 'open-window')?.enabled).toBe(true);
      expect(action(items, 'quit')?.enabled).toBe(true);
    }
  });
});

describe('tray state, tooltip, title', () => {
  it('is downloading only while something is active', () => {
    expect(trayState(downloading)).toBe('downloading');
    expect(trayState(totals({ queued: 3 }))).toBe('idle');
    expect(trayState(undefined)).toBe('idle');
  });

  it('puts the overall progress in the tooltip and the macOS title', () => {
    expect(trayTooltip(downloading)).toBe(
      '4DN Downloader\n3 active, 5 queued\n41% of 3.0 GiB · 41.0 MiB/s · 4m 12s left',
    );
    expect(trayTitle(downloading)).toBe('41%');
    expect(trayTooltip(undefined)).toBe('4DN Downloader\nNo downloads');
    expect(trayTitle(totals({ paused: 1, bytesDone: 1, bytesTotal: 2 }))).toBe('');
  });

  it('picks an icon per platform and state', () => {
    expect(trayIconFile('darwin', 'idle')).toBe('trayTemplate.png');
    expect(trayIconFile('darwin', 'downloading')).toBe('trayActiveTemplate.png');
    expect(trayIconFile('win32', 'downloading')).toBe('tray-active.ico');
    expect(trayIconFile('linux', 'idle')).toBe('tray.png');
  });
});
