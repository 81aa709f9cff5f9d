import type { Job, QueueMark } from '../../../src-shared/domain/job.ts';
import { idKey, parseId } from '../../../src-shared/ids/ids.ts';
import type { InvokeOutput, InvokeParsedInput } from '../../../src-shared/ipc/contract.ts';
import type { DownloadEngine } from '../downloads/queue/engine.ts';

type Lookup = InvokeParsedInput<'queue:lookup'>['files'];
type Found = { mark: QueueMark; path?: string | undefined };

/** Best first: a file verified on disk says more than one merely queued again elsewhere. */
const RANK: Record<QueueMark, number> = { verified: 0, downloaded: 1, queued: 2, failed: 3 };

/**
 * queue:lookup: what the queue has of each file, matched by its id's de-duplication key (an accession, a
 * drs:// URI and a portal link to one file agree) or by its file name, over every destination folder.
 */
export async function lookupFiles(
  engine: Pick<DownloadEngine, 'snapshot' | 'finishedFile'>,
  files: Lookup,
): Promise<InvokeOutput<'queue:lookup'>> {
  const byKey = new Map<string, Job[]>();
  const byName = new Map<string, Job[]>();
  const push = (map: Map<string, Job[]>, key: string, job: Job) =>
    map.set(key, [...(map.get(key) ?? []), job]);
  for (const job of engine.snapshot().jobs) {
    const parsed = parseId(job.source);
    if (parsed.ok) push(byKey, idKey(parsed.id), job);
    push(byName, job.name, job);
  }
  const markOf = async (job: Job): Promise<Found | null> => {
    if (job.state === 'canceled') return null;
    if (job.state === 'failed') return { mark: 'failed' };
    if (job.state !== 'done') return { mark: 'queued' };
    const file = await engine.finishedFile(job.id);
    if (file === 'absent') return null;
    const checked = job.verification === 'verified' || job.verification === 'skipped';
    return { mark: file === 'verified' && checked ? 'verified' : 'downloaded', path: job.path };
  };
  const marks = await Promise.all(
    files.map(async ({ id, name }) => {
      const parsed = parseId(id.trim());
      const jobs = new Set([
        ...(parsed.ok ? (byKey.get(idKey(parsed.id)) ?? []) : []),
        ...(name ? (byName.get(name) ?? []) : []),
      ]);
      let best: Found | null = null;
      for (const job of jobs) {
        const found = await markOf(job);
        if (found && (!best || RANK[found.mark] < RANK[best.mark])) best = found;
      }
      return { id, mark: best?.mark ?? null, ...(best?.path ? { path: best.path } : {}) };
    }),
  );
  return { marks };
}
