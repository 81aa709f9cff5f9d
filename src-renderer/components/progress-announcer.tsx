import { useEffect, useState } from 'react';
import { formatDuration, formatPercent, plural } from '../../src-shared/format.ts';
import { overallFraction } from '../../src-shared/overall-progress.ts';
import { runningCount } from '../store/queue-model.ts';
import type { QueueStore } from '../store/queue-store.ts';

/** What a screen reader hears about overall progress, at most this often. */
const EVERY_MS = 30_000;

export function progressSentence(state: ReturnType<QueueStore['getState']>): string {
  const running = runningCount(state.stats);
  if (running === 0) return '';
  const { bytesDone, bytesTotal } = state.stats;
  const percent = bytesTotal > 0 ? `, ${formatPercent(bytesDone, bytesTotal)} done` : '';
  const left = state.eta !== undefined ? `, ${formatDuration(state.eta)} left` : '';
  return `Downloading ${plural(running, 'file')}${percent}${left}.`;
}

const APP_TITLE = '4DN Downloader';

/** The window or tab title: overall progress while anything runs, so it shows in the taskbar and tab strip. */
export function progressTitle(state: ReturnType<QueueStore['getState']>): string {
  if (runningCount(state.stats) === 0) return APP_TITLE;
  // The same fraction the dock / taskbar shows (src-shared/overall-progress.ts).
  const fraction = overallFraction(state.stats);
  return fraction !== undefined
    ? `${formatPercent(fraction, 1)} · ${APP_TITLE}`
    : `Downloading · ${APP_TITLE}`;
}

/** A polite live region that speaks overall progress now and then, never on every tick. */
export function ProgressAnnouncer({ queue }: { queue: QueueStore }) {
  const [sentence, setSentence] = useState('');
  useEffect(() => {
    const timer = setInterval(() => {
      const next = progressSentence(queue.getState());
      setSentence((previous) => (previous === next ? previous : next));
    }, EVERY_MS);
    return () => clearInterval(timer);
  }, [queue]);
  useEffect(() => {
    const update = () => {
      const title = progressTitle(queue.getState());
      if (document.title !== title) document.title = title;
    };
    update();
    return queue.subscribe(update);
  }, [queue]);
  return (
    <div className="sr-only" aria-live="polite" data-testid="progress-announcer">
      {sentence}
    </div>
  );
}
