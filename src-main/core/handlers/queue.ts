import { stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { AppError } from '../../../src-shared/domain/errors.ts';
import type { Rejected } from '../../../src-shared/domain/ids.ts';
import { idKey, parseId } from '../../../src-shared/ids/ids.ts';
import { parseManifest } from '../../../src-shared/manifest/manifest.ts';
import type { AddItem } from '../downloads/job/source.ts';
import type { DownloadEngine } from '../downloads/queue/engine.ts';
import type { Handlers } from '../router.ts';
import type { SettingsStore } from '../settings-store.ts';
import { lookupFiles } from './queue-lookup.ts';

export type QueueHandlers = Pick<
  Handlers,
  | 'queue:add'
  | 'queue:snapshot'
  | 'queue:wait-idle'
  | 'queue:pause'
  | 'queue:resume'
  | 'queue:cancel'
  | 'queue:retry'
  | 'queue:remove'
  | 'queue:pause-all'
  | 'queue:resume-all'
  | 'queue:retry-failed'
  | 'queue:reorder'
  | 'queue:move-to-top'
  | 'queue:lookup'
  | 'queue:open-target'
>;

export type QueueEngine = Pick<
  DownloadEngine,
  | 'add'
  | 'snapshot'
  | 'whenIdle'
  | 'pause'
  | 'resume'
  | 'cancel'
  | 'retry'
  | 'remove'
  | 'pauseAll'
  | 'resumeAll'
  | 'retryFailed'
  | 'reorder'
  | 'moveToTop'
  | 'finishedFile'
  | 'job'
>;

/** The queue channels over the download engine. Bulk forms take many ids; counts say how many were affected. */
export function createQueueHandlers(deps: {
  engine: QueueEngine;
  settings: Pick<SettingsStore, 'get'>;
}): QueueHandlers {
  const { engine } = deps;
  return {
    'queue:add': async ({ items, text, fileName, profile, destDir }) => {
      const { add, rejected } = collectItems(items ?? [], text, fileName);
      const settings = deps.settings.get();
      const chosenProfile = profile ?? settings.defaultProfile;
      const result = engine.add(add, {
        destDir: destDir ?? settings.downloadDir,
        ...(chosenProfile === undefined ? {} : { profile: chosenProfile }),
      });
      return {
        added: result.jobIds.length,
        jobIds: result.jobIds,
        rejected,
        alreadyQueued: result.alreadyQueued,
        alreadyQueuedIds: result.alreadyQueuedIds,
      };
    },
    'queue:snapshot': async () => engine.snapshot(),
    'queue:wait-idle': async () => {
      await engine.whenIdle();
      return engine.snapshot();
    },
    'queue:pause': async ({ ids }) => ({ affected: engine.pause(ids) }),
    'queue:resume': async ({ ids }) => ({ affected: engine.resume(ids) }),
    'queue:cancel': async ({ ids }) => ({ affected: await engine.cancel(ids) }),
    'queue:retry': async ({ ids }) => ({ affected: engine.retry(ids) }),
    'queue:remove': async ({ ids, deleteFiles, keepPartial }) => ({
      affected: await engine.remove(ids, {
        deleteFiles: deleteFiles === true,
        keepPartial: keepPartial === true,
      }),
    }),
    'queue:pause-all': async () => ({ affected: engine.pauseAll() }),
    'queue:resume-all': async () => ({ affected: engine.resumeAll() }),
    'queue:retry-failed': async () => ({ affected: engine.retryFailed() }),
    'queue:reorder': async ({ ids, before }) => ({ ok: engine.reorder(ids, before) }),
    'queue:move-to-top': async ({ ids }) => ({ affected: engine.moveToTop(ids) }),
    'queue:lookup': ({ files }) => lookupFiles(engine, files),
    'queue:open-target': async ({ id }) => {
      const job = engine.job(id);
      if (!job) throw new AppError('not-found', 'That download is no longer in the queue.');
      const path = job.path ?? join(job.destDir, job.name);
      const exists = await stat(path).then(
        (info) => info.isFile(),
        () => false,
      );
      return { path, folder: dirname(path), exists };
    },
  };
}

/**
 * For a process that never opens the queue (`4dn-dl info`, `search`, `keys`, `verify`): it must not take the
 * queue's lock from a running desktop app, so every queue channel says plainly that there is none here.
 */
export function createNoQueueHandlers(): QueueHandlers {
  const none = async (): Promise<never> => {
    throw new AppError(
      'bad-input',
      'This command has no download queue: use `4dn-dl get` or the app to download.',
    );
  };
  return {
    'queue:add': none,
    'queue:snapshot': none,
    'queue:wait-idle': none,
    'queue:pause': none,
    'queue:resume': none,
    'queue:cancel': none,
    'queue:retry': none,
    'queue:remove': none,
    'queue:pause-all': none,
    'queue:resume-all': none,
    'queue:retry-failed': none,
    'queue:reorder': none,
    'queue:move-to-top': none,
    'queue:lookup': none,
    'queue:open-target': none,
  };
}

/**
 * Items one per entry (each parsed as an id; line = its 1-based position) and/or a whole list's text (any
 * format the manifest parser knows). Rows the list marks unavailable are reported with the rejections.
 */
export function collectItems(
  items: readonly string[],
  text: string | undefined,
  fileName: string | undefined,
): { add: AddItem[]; rejected: Rejected[] } {
  const add: AddItem[] = [];
  const rejected: Rejected[] = [];
  items.forEach((raw, index) => {
    const input = raw.trim();
    if (input === '') return;
    const parsed = parseId(input);
    if (parsed.ok) add.push({ input, id: parsed.id, key: idKey(parsed.id) });
    else rejected.push({ line: index + 1, text: input.slice(0, 200), reason: parsed.reason });
  });
  if (text !== undefined) {
    const manifest = parseManifest(text, fileName === undefined ? {} : { fileName });
    for (const item of manifest.items) {
      add.push({ input: item.input, id: item.id, key: item.key, md5: item.md5, size: item.size });
    }
    rejected.push(...manifest.rejected, ...(manifest.unavailable ?? []));
  }
  return { add, rejected };
}
