import { useCallback, useMemo, useState } from 'react';
import type { Job } from '../../../src-shared/domain/job.ts';
import { formatBytes, plural } from '../../../src-shared/format.ts';
import type { InvokeInput } from '../../../src-shared/ipc/contract.ts';
import { errorMessage } from '../../api/transport.ts';
import type { ConfirmRequest } from '../../components/confirm-dialog.tsx';
import { useStores } from '../../store/context.tsx';
import { isRunning } from '../../store/queue-model.ts';

export interface QueueActions {
  confirm: ConfirmRequest | null;
  closeConfirm(): void;
  pause(ids: readonly string[]): void;
  resume(ids: readonly string[]): void;
  /** Space: pauses when anything chosen is moving or waiting, else resumes. */
  toggle(ids: readonly string[]): void;
  retry(ids: readonly string[]): void;
  /** Asks first when a chosen job is still running. */
  remove(ids: readonly string[]): void;
  retryFailed(): void;
  /** Puts the chosen jobs first in the queue: a waiting one starts next. */
  moveToTop(ids: readonly string[]): void;
  /** Takes finished rows off the list; their files stay on disk. */
  clearCompleted(): void;
  open(id: string, reveal: boolean): void;
  copyUri(id: string): void;
}

/** Queue commands as the toolbar, keys and menu use them: errors become notices, never silent. */
export function useQueueActions(): QueueActions {
  const stores = useStores();
  const [confirm, setConfirm] = useState<ConfirmRequest | null>(null);
  const closeConfirm = useCallback(() => setConfirm(null), []);

  return useMemo(() => {
    const queue = () => stores.queue.getState();
    const notify = stores.app.getState().notify;
    const jobsOf = (ids: readonly string[]) =>
      ids.map((id) => queue().jobs.get(id)).filter((job): job is Job => job !== undefined);
    const run = (what: string, action: () => Promise<unknown>) => {
      action().catch((error: unknown) => notify('error', `Could not ${what}: ${errorMessage(error)}`));
    };
    const pause = (ids: readonly string[]) => {
      if (ids.length) run('pause', () => queue().pause(ids));
    };
    const resume = (ids: readonly string[]) => {
      if (ids.length) run('resume', () => queue().resume(ids));
    };
    // Undo adds the removed jobs again (same source, folder and profile), at the end of the queue.
    const undo = (jobs: readonly Job[], restarts: boolean) =>
      run('put the downloads back', async () => {
        let added = 0;
        for (const request of readdRequests(jobs)) {
          added += (await stores.transport.invoke('queue:add', request)).added;
        }
        const fromZero = restarts ? '; their partial files were deleted, so they start again from zero' : '';
        notify('success', `Put back ${plural(added, 'download')}${fromZero}.`);
      });
    const doRemove = (ids: readonly string[], keepPartial = false) =>
      run('remove', async () => {
        const jobs = jobsOf(ids);
        const affected = await queue().remove(ids, { keepPartial });
        const partial = jobs.some((job) => job.state !== 'done' && job.bytesDone > 0);
        const note = !partial
          ? ''
          : keepPartial
            ? '; partial files kept (adding them again resumes)'
            : '; partial files deleted (Undo restarts them from zero)';
        notify('info', `Removed ${plural(affected, 'download')} from the queue${note}.`, {
          label: 'Undo',
          run: () => undo(jobs, partial && !keepPartial),
        });
      });
    return {
      confirm,
      closeConfirm,
      pause,
      resume,
      toggle(ids) {
        const jobs = jobsOf(ids);
        if (jobs.some((job) => isRunning(job.state) || job.state === 'queued')) pause(ids);
        else resume(ids);
      },
      retry(ids) {
        if (ids.length) run('retry', () => queue().retry(ids));
      },
      remove(ids) {
        if (!ids.length) return;
        const jobs = jobsOf(ids);
        const running = jobs.filter((job) => isRunning(job.state)).length;
        // Unfinished jobs with bytes on disk have a partial file, which Remove deletes unless asked to keep it.
        const partial = jobs.filter((job) => job.state !== 'done' && job.bytesDone > 0);
        if (running === 0 && partial.length === 0) {
          doRemove(ids);
          return;
        }
        const bytes = partial.reduce((sum, job) => sum + job.bytesDone, 0);
        const stops = running
          ? `${plural(running, 'download is', 'downloads are')} still running and will stop. `
          : '';
        setConfirm({
          title: `Remove ${plural(ids.length, 'download')}?`,
          body: `${stops}${plural(partial.length, 'partial file')} (${formatBytes(bytes)}) can be kept, so adding the file again resumes it, or deleted. Finished files stay where they are.`,
          confirmLabel: 'Remove and delete partial files',
          onConfirm: () => doRemove(ids),
          alternative: { label: 'Remove, keep partial files', onSelect: () => doRemove(ids, true) },
        });
      },
      retryFailed() {
        run('retry failed downloads', async () => {
          const affected = await queue().retryFailed();
          notify('info', `Retrying ${plural(affected, 'failed download')}.`);
        });
      },
      moveToTop(ids) {
        if (!ids.length) return;
        run('move to the top', async () => {
          const moved = await queue().moveToTop(ids);
          notify('info', `Moved ${plural(moved, 'download')} to the top of the queue: next to start.`);
        });
      },
      clearCompleted() {
        const done = jobsOf(queue().ids).filter((job) => job.state === 'done');
        if (!done.length) return;
        run('clear completed downloads', async () => {
          const affected = await queue().remove(done.map((job) => job.id));
          notify(
            'info',
            `Cleared ${plural(affected, 'finished download')} from the list; the files stay on disk.`,
            {
              label: 'Undo',
              run: () => undo(done, false),
            },
          );
        });
      },
      open(id, reveal) {
        run('open the folder', async () => {
          const target = await stores.transport.invoke('queue:open-target', { id, reveal });
          if (stores.app.getState().info?.host === 'web' || !target.exists) {
            notify(
              'info',
              target.exists
                ? `The file is at ${target.path}`
                : `Not on disk yet; it will be in ${target.folder}`,
            );
          }
        });
      },
      copyUri(id) {
        const job = queue().jobs.get(id);
        const uri = job?.drsUri ?? job?.source;
        if (!uri) return;
        run('copy the DRS URI', async () => {
          if (!navigator.clipboard) throw new Error('the clipboard is not available here');
          await navigator.clipboard.writeText(uri);
          notify('success', `Copied ${uri}`);
        });
      },
    };
  }, [stores, confirm, closeConfirm]);
}

/** queue:add requests that put jobs back as they were queued: one per folder and profile, sources in order. */
export function readdRequests(jobs: readonly Job[]): InvokeInput<'queue:add'>[] {
  const groups = new Map<string, InvokeInput<'queue:add'>>();
  for (const job of jobs) {
    const key = `${job.destDir}\n${job.profile ?? ''}`;
    let group = groups.get(key);
    if (!group) {
      group = { items: [], destDir: job.destDir, ...(job.profile ? { profile: job.profile } : {}) };
      groups.set(key, group);
    }
    group.items?.push(job.source);
  }
  return [...groups.values()];
}
