import type { QueueTotals } from '../../src-shared/domain/job.ts';
import { plural } from '../../src-shared/format.ts';
import { unfinishedCount } from '../../src-shared/overall-progress.ts';
import { overallFraction } from './tray-model.ts';

/** Taskbar / dock progress: a fraction, 2 for "busy, size unknown", -1 to clear it (setProgressBar's values). */
export interface TaskbarProgress {
  progress: number;
  mode: 'none' | 'normal' | 'indeterminate' | 'error' | 'paused';
}

export function taskbarProgress(totals: QueueTotals | undefined): TaskbarProgress {
  if (!totals) return { progress: -1, mode: 'none' };
  const fraction = overallFraction(totals);
  if (totals.active > 0) {
    if (fraction === undefined) return { progress: 2, mode: 'indeterminate' };
    return { progress: fraction, mode: totals.failed > 0 ? 'error' : 'normal' };
  }
  if (totals.paused > 0 && fraction !== undefined && fraction < 1)
    return { progress: fraction, mode: 'paused' };
  return { progress: -1, mode: 'none' };
}

/** The dock / launcher badge: the same unfinished count as the Queue's badge in the window; 0 clears it. */
export function badgeCount(totals: QueueTotals | undefined): number {
  return totals
    ? unfinishedCount({ running: totals.active, queued: totals.queued, paused: totals.paused })
    : 0;
}

/** Keep the machine awake only while something downloads and the user asked for it. */
export function shouldBlockSleep(
  totals: QueueTotals | undefined,
  settings: { preventSleep: boolean },
): boolean {
  return settings.preventSleep && (totals?.active ?? 0) > 0;
}

export interface QuitPrompt {
  message: string;
  detail: string;
  buttons: [quit: string, stay: string];
}

/** Asked before quitting while downloads run or wait; null when there is nothing to lose. */
export function quitConfirmation(totals: QueueTotals | undefined): QuitPrompt | null {
  const pending = totals ? totals.active + totals.queued : 0;
  if (pending === 0) return null;
  return {
    message: `Quit while ${plural(pending, 'download')} ${pending === 1 ? 'is' : 'are'} unfinished?`,
    detail:
      'Downloaded parts are kept on disk: the downloads pick up where they stopped the next time you open 4DN Downloader.',
    buttons: ['Quit', 'Keep downloading'],
  };
}

/**
 * What closing the window does. macOS keeps apps running with no window, as users expect there; elsewhere
 * the closeToTray setting decides between hiding to the tray and quitting (which asks first if needed).
 */
export function closeAction(options: {
  platform: NodeJS.Platform;
  closeToTray: boolean;
  quitting: boolean;
  hasTray: boolean;
}): 'close' | 'hide' | 'quit' {
  if (options.quitting) return 'close';
  if (options.platform === 'darwin') return 'hide';
  return options.closeToTray && options.hasTray ? 'hide' : 'quit';
}

/**
 * queue:open-target's side effect. Only folders are ever opened, never the downloaded file itself: a file
 * named by a server is not something to launch. A present file is shown selected in its folder.
 */
export function openTargetAction(
  target: { path: string; folder: string; exists: boolean },
  reveal: boolean,
): { kind: 'reveal' | 'open-folder'; path: string } {
  return target.exists && reveal
    ? { kind: 'reveal', path: target.path }
    : { kind: 'open-folder', path: target.folder };
}
