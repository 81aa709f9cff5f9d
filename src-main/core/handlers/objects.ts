import type { FilePreview } from '../../../src-shared/domain/drs.ts';
import { toErrorInfo } from '../../../src-shared/domain/errors.ts';
import { firstAccess } from '../../../src-shared/drs-access.ts';
import { type FileSystem, nodeFileSystem } from '../downloads/disk/file-system.ts';
import { planVerification } from '../downloads/hashing/checksum.ts';
import { Semaphore } from '../downloads/queue/semaphore.ts';
import { normaliseChecksumType } from '../drs/checksums.ts';
import type { DownloadSource, DownloadTarget } from '../drs/download-source.ts';
import type { DrsClient } from '../drs/drs-client.ts';
import { mapPool } from '../drs/pool.ts';
import type { Handlers } from '../router.ts';
import { checkFileOnDisk } from './file-check.ts';

export type ObjectsHandlers = Pick<Handlers, 'objects:resolve' | 'files:preview' | 'files:verify'>;

export interface ObjectsDeps {
  /** The DRS client for a profile (its server and key), or the default profile's. */
  drsFor(profile?: string): Promise<DrsClient>;
  /** The queue's own way of finding a file's facts, so the preview shows what the download will fetch. */
  downloadsFor(profile?: string): Promise<DownloadSource>;
  /** The file-system seam files:verify reads through (tests fault it); the real one by default. */
  fs?: FileSystem;
}

/** Lookups in flight per preview request; the renderer sends a few requests of 50 ids at once. */
const PREVIEW_CONCURRENCY = 8;
/** Files hashed at once by files:verify: the disk, not the CPU, is what a re-check waits on. */
const VERIFY_CONCURRENCY = 2;

export function createObjectsHandlers(deps: ObjectsDeps): ObjectsHandlers {
  const disk = { fs: deps.fs ?? nodeFileSystem, handles: new Semaphore(VERIFY_CONCURRENCY) };
  return {
    'objects:resolve': async ({ ids, profile }) => {
      const drs = await deps.drsFor(profile);
      const results = await drs.resolveMany(ids);
      return {
        results: results.map((result) =>
          result.ok
            ? { input: result.input, ok: true as const, object: result.object }
            : { input: result.input, ok: false as const, error: result.error.toInfo() },
        ),
      };
    },
    'files:preview': async ({ ids, profile }) => {
      const downloads = await deps.downloadsFor(profile);
      const results = await mapPool(ids, PREVIEW_CONCURRENCY, async (input) => {
        try {
          return { input, ok: true as const, file: previewOf(await downloads.target(input)) };
        } catch (error) {
          return { input, ok: false as const, error: toErrorInfo(error) };
        }
      });
      return { results };
    },
    'files:verify': async ({ ids, profile, dir }) => {
      // The source is asked for per id, so a key that cannot be resolved fails each file, not the call.
      const source = () => deps.downloadsFor(profile);
      const results = await mapPool(ids, VERIFY_CONCURRENCY, (input) =>
        checkFileOnDisk(disk, source, dir, input),
      );
      return { results };
    },
  };
}

function previewOf(target: DownloadTarget): FilePreview {
  // The checksum the queue will verify with comes first (the strongest it can check), as the preview shows one.
  const plan = planVerification(target.checksums);
  const checksums =
    plan.kind === 'none'
      ? target.checksums
      : [
          plan.checksum,
          ...target.checksums.filter((c) => normaliseChecksumType(c.type) !== plan.checksum.type),
        ];
  const preview: FilePreview = {
    name: target.fileName,
    checksums,
    source: target.drsObject ? 'drs' : 'portal-item',
  };
  if (target.size !== undefined) preview.size = target.size;
  if (target.drsObject?.createdTime) preview.createdTime = target.drsObject.createdTime;
  const access =
    target.drsObject && !target.downloadUrl ? firstAccess(target.drsObject.accessMethods) : undefined;
  if (access) preview.access = access;
  if (target.bundle) {
    const { folder, members } = target.bundle;
    preview.bundleFiles = members.map((m) => [folder, ...m.folders, m.name].join('/'));
  }
  return preview;
}
