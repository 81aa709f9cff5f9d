import { formatDuration, formatPercent, plural } from '../../src-shared/format.ts';
import { overallFraction } from '../../src-shared/overall-progress.ts';
import { runningCount } from '../store/queue-model.ts';
import type { QueueState } from '../store/queue-store.ts';

/** Overall progress in words: for screen readers now and then, and for the window or tab title. */

export function progressSentence(state: Pick<QueueState, 'stats' | 'eta'>): string {
  const running = runningCount(state.stats);
  if (running === 0) return '';
  const fraction = overallFraction(state.stats);
  const percent = fraction !== undefined ? `, ${formatPercent(fraction, 1)} done` : '';
  const left = state.eta !== undefined ? `, ${formatDuration(state.eta)} left` : '';
  return `Downloading ${plural(running, 'file')}${percent}${left}.`;
}

const APP_TITLE = '4DN Downloader';

/** The window or tab title: overall progress while anything runs, so it shows in the taskbar and tab strip. */
export function progressTitle(state: Pick<QueueState, 'stats' | 'eta'>): string {
  if (runningCount(state.stats) === 0) return APP_TITLE;
  // The same fraction the dock / taskbar shows (src-shared/overall-progress.ts).
  const fraction = overallFraction(state.stats);
  return fraction !== undefined
    ? `${formatPercent(fraction, 1)} · ${APP_TITLE}`
    : `Downloading · ${APP_TITLE}`;
}
