import { ArrowUpToLine, FolderOpen, Info, ListX, Pause, Play, RotateCcw, Trash2 } from 'lucide-react';
import type { Job } from '../../../src-shared/domain/job.ts';
import { isRunning } from '../../store/queue-model.ts';
import type { QueueActions } from './use-queue-actions.ts';

/** Which commands make sense for the chosen jobs; the toolbar and the context menu agree on it. */
export function applicable(jobs: readonly Job[]) {
  return {
    pause: jobs.some((job) => isRunning(job.state) || job.state === 'queued'),
    resume: jobs.some((job) => job.state === 'paused'),
    retry: jobs.some((job) => job.state === 'failed' || job.state === 'canceled'),
    remove: jobs.length > 0,
    /** Waiting or paused jobs can go first; running ones already are. */
    moveToTop: jobs.some((job) => job.state === 'queued' || job.state === 'paused'),
    open: jobs.length > 0,
  };
}

export function QueueToolbar({
  chosen,
  jobs,
  failedCount,
  doneCount,
  actions,
  detailsOpen,
  onDetails,
}: {
  chosen: readonly string[];
  jobs: readonly Job[];
  failedCount: number;
  doneCount: number;
  actions: QueueActions;
  detailsOpen: boolean;
  onDetails(): void;
}) {
  const can = applicable(jobs);
  const first = chosen[0];
  return (
    <div className="toolbar" role="toolbar" aria-label="Queue actions">
      <button type="button" disabled={!can.pause} onClick={() => actions.pause(chosen)}>
        <Pause aria-hidden size={14} /> Pause
      </button>
      <button type="button" disabled={!can.resume} onClick={() => actions.resume(chosen)}>
        <Play aria-hidden size={14} /> Resume
      </button>
      <button type="button" disabled={!can.retry} onClick={() => actions.retry(chosen)}>
        <RotateCcw aria-hidden size={14} /> Retry
      </button>
      <button type="button" disabled={!can.remove} onClick={() => actions.remove(chosen)}>
        <Trash2 aria-hidden size={14} /> Remove
      </button>
      <button
        type="button"
        className="narrow-icon"
        title="Move to top: start next"
        disabled={!can.moveToTop}
        onClick={() => actions.moveToTop(chosen)}
      >
        <ArrowUpToLine aria-hidden size={14} /> <span className="button-label">Move to top</span>
      </button>
      <button type="button" aria-pressed={detailsOpen} disabled={first === undefined} onClick={onDetails}>
        <Info aria-hidden size={14} /> Details
      </button>
      <span className="toolbar-gap" />
      <button type="button" disabled={failedCount === 0} onClick={() => actions.retryFailed()}>
        <RotateCcw aria-hidden size={14} /> Retry all failed
      </button>
      <button
        type="button"
        className="narrow-icon"
        title="Clear completed: take finished rows off the list (files stay on disk)"
        disabled={doneCount === 0}
        onClick={() => actions.clearCompleted()}
      >
        <ListX aria-hidden size={14} /> <span className="button-label">Clear completed</span>
      </button>
      <button
        type="button"
        className="narrow-icon"
        title="Open folder"
        disabled={first === undefined}
        onClick={() => first && actions.open(first, true)}
      >
        <FolderOpen aria-hidden size={14} /> <span className="button-label">Open folder</span>
      </button>
    </div>
  );
}
