import { useEffect, useState } from 'react';
import type { QueueStore } from '../store/queue-store.ts';
import { progressSentence, progressTitle } from './progress-text.ts';

/** What a screen reader hears about overall progress, at most this often. */
const EVERY_MS = 30_000;

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
