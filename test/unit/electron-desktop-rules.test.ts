import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  badgeCount,
  closeAction,
  openTargetAction,
  quitConfirmation,
  shouldBlockSleep,
  taskbarProgress,
} from '../../src-main/electron/desktop-rules.ts';
import { OpenItemsInbox, readLaunchFiles } from '../../src-main/electron/open-items.ts';
import { ShellStateFile } from '../../src-main/electron/shell-state.ts';
import { SleepGuard } from '../../src-main/electron/sleep-guard.ts';
import type { EventPayload } from '../../src-shared/ipc/contract.ts';
import { makeTotals } from '../support/queue-fixtures.ts';

const tmp = mkdtempSync(join(tmpdir(), 'desktop-rules-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const totals = makeTotals;

describe('taskbar progress and badge', () => {
  it('shows the overall fraction while downloading', () => {
    expect(taskbarProgress(totals({ jobs: 3, active: 2, bytesDone: 250, bytesTotal: 1000 }))).toEqual({
      progress: 0.25,
      mode: 'normal',
    });
  });

  it('turns red on Windows when something has failed, busy when sizes are unknown', () => {
    expect(taskbarProgress(totals({ active: 1, failed: 1, bytesDone: 1, bytesTotal: 2 })).mode).toBe('error');
    expect(taskbarProgress(totals({ active: 1, bytesTotal: 0 }))).toEqual({
      progress: 2,
      mode: 'indeterminate',
    });
  });

  it('shows paused progress, and clears itself when idle or done', () => {
    expect(taskbarProgress(totals({ paused: 2, bytesDone: 400, bytesTotal: 1000 }))).toEqual({
      progress: 0.4,
      mode: 'paused',
    });
    expect(taskbarProgress(totals({ done: 4, bytesDone: 1000, bytesTotal: 1000 }))).toEqual({
      progress: -1,
      mode: 'none',
    });
    expect(taskbarProgress(undefined)).toEqual({ progress: -1, mode: 'none' });
  });

  it('never reports more than 100%', () => {
    expect(taskbarProgress(totals({ active: 1, bytesDone: 1200, bytesTotal: 1000 })).progress).toBe(1);
  });

  it("badges the unfinished downloads, the same count as the window's Queue badge", () => {
    expect(badgeCount(totals({ active: 3, queued: 9, done: 100, failed: 2, paused: 1 }))).toBe(13);
    expect(badgeCount(totals({ done: 5 }))).toBe(0);
    expect(badgeCount(undefined)).toBe(0);
  });
});

describe('sleep', () => {
  it('is blocked only while downloading with the setting on', () => {
    expect(shouldBlockSleep(totals({ active: 1 }), { preventSleep: true })).toBe(true);
    expect(shouldBlockSleep(totals({ active: 1 }), { preventSleep: false })).toBe(false);
    expect(shouldBlockSleep(totals({ queued: 4, paused: 1 }), { preventSleep: true })).toBe(false);
    expect(shouldBlockSleep(undefined, { preventSleep: true })).toBe(false);
  });

  it('SleepGuard holds one block and releases it', () => {
    const calls: string[] = [];
    const guard = new SleepGuard({
      start: (type) => {
        calls.push(`start ${type}`);
        return 7;
      },
      stop: (id) => {
        calls.push(`stop ${id}`);
        return true;
      },
    });
    guard.set(true);
    guard.set(true);
    expect(guard.active).toBe(true);
    guard.set(false);
    guard.set(false);
    expect(guard.active).toBe(false);
    expect(calls).toEqual(['start prevent-app-suspension', 'stop 7']);
  });
});

describe('quitting and closing', () => {
  it('asks before quitting while downloads are unfinished', () => {
    const prompt = quitConfirmation(totals({ active: 2, queued: 1 }));
    expect(prompt?.message).toBe('Quit while 3 downloads are unfinished?');
    expect(prompt?.detail).toMatch(/kept on disk/);
    expect(prompt?.buttons).toEqual(['Quit', 'Keep downloading']);
    expect(quitConfirmation(totals({ active: 1 }))?.message).toBe('Quit while 1 download is unfinished?');
  });

  it('quits without asking when nothing is pending', () => {
    expect(quitConfirmation(totals({ done: 5, failed: 1, paused: 2 }))).toBeNull();
    expect(quitConfirmation(undefined)).toBeNull();
  });

  it('hides to the tray on close when the setting is on and a tray exists', () => {
    const base = { platform: 'win32' as const, closeToTray: true, quitting: false, hasTray: true };
    expect(closeAction(base)).toBe('hide');
    expect(closeAction({ ...base, closeToTray: false })).toBe('quit');
    expect(closeAction({ ...base, hasTray: false })).toBe('quit');
    expect(closeAction({ ...base, quitting: true })).toBe('close');
    expect(closeAction({ ...base, platform: 'linux' })).toBe('hide');
  });

  it('keeps the app running on macOS as users expect there', () => {
    expect(closeAction({ platform: 'darwin', closeToTray: false, quitting: false, hasTray: true })).toBe(
      'hide',
    );
    expect(closeAction({ platform: 'darwin', closeToTray: true, quitting: true, hasTray: true })).toBe(
      'close',
    );
  });
});

describe('openTargetAction', () => {
  it('shows a present file in its folder, and never opens the file itself', () => {
    const present = { path: '/d/4DNFI.pairs.gz', folder: '/d', exists: true };
    expect(openTargetAction(present, true)).toEqual({ kind: 'reveal', path: '/d/4DNFI.pairs.gz' });
    expect(openTargetAction(present, false)).toEqual({ kind: 'open-folder', path: '/d' });
    expect(openTargetAction({ ...present, exists: false }, true)).toEqual({
      kind: 'open-folder',
      path: '/d',
    });
  });
});

describe('ShellStateFile', () => {
  it('starts from defaults and remembers the tray hint across opens', async () => {
    const dir = join(tmp, 'state');
    const first = await ShellStateFile.open(dir);
    expect(first.get()).toEqual({ trayHintShown: false });
    await first.update({ trayHintShown: true });
    expect(JSON.parse(readFileSync(join(dir, 'desktop-shell.json'), 'utf8'))).toEqual({
      trayHintShown: true,
    });
    expect((await ShellStateFile.open(dir)).get()).toEqual({ trayHintShown: true });
  });

  it('falls back to defaults on a damaged file', async () => {
    const dir = join(tmp, 'damaged');
    await (await ShellStateFile.open(dir)).update({ trayHintShown: true });
    writeFileSync(join(dir, 'desktop-shell.json'), '{"trayHintShown": "yes"');
    expect((await ShellStateFile.open(dir)).get()).toEqual({ trayHintShown: false });
  });
});

describe('open items', () => {
  it('reads list files and skips folders, missing and oversized files', async () => {
    const list = join(tmp, 'accessions.txt');
    writeFileSync(list, '4DNFI1234567\n4DNFI7654321\n');
    const log: string[] = [];
    const files = await readLaunchFiles([list, tmp, join(tmp, 'missing.tsv')], (line) => log.push(line));
    expect(files).toEqual([{ name: 'accessions.txt', text: '4DNFI1234567\n4DNFI7654321\n' }]);
    expect(log).toEqual(['Skipped missing.tsv: ENOENT']);
  });

  it('holds items until the page is ready, then delivers each launch once', async () => {
    const delivered: EventPayload<'app:open-items'>[] = [];
    const inbox = new OpenItemsInbox({
      deliver: (payload) => delivered.push(payload),
      readFiles: async (paths) => paths.map((path) => ({ name: path, text: 'x' })),
    });
    await inbox.add({ links: ['drs://data.4dnucleome.org/4DNFI1234567'], files: [] });
    await inbox.add({ links: [], files: ['/a/list.txt'] });
    await inbox.add({ links: [], files: [] });
    expect(delivered).toEqual([]);
    inbox.setReady(true);
    expect(delivered).toEqual([
      { items: ['drs://data.4dnucleome.org/4DNFI1234567'] },
      { items: [], files: [{ name: '/a/list.txt', text: 'x' }] },
    ]);
    inbox.setReady(false);
    await inbox.add({ links: ['drs://h/x'], files: [] });
    expect(delivered).toHaveLength(2);
    inbox.setReady(true);
    inbox.setReady(true);
    expect(delivered).toHaveLength(3);
  });

  it('drops a launch whose files all failed to read', async () => {
    const delivered: unknown[] = [];
    const inbox = new OpenItemsInbox({
      deliver: (payload) => delivered.push(payload),
      readFiles: async () => [],
    });
    inbox.setReady(true);
    await inbox.add({ links: [], files: ['/nope'] });
    expect(delivered).toEqual([]);
  });
});
