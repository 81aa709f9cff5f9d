import { useEffect, useState } from 'react';
import type { QueueMark } from '../../src-shared/domain/job.ts';
import { useQueue, useStores } from '../store/context.tsx';

/** A file shown in Browse or Add, as queue:lookup takes it; `key` is the row it belongs to. */
export interface MarkedFile {
  key: string;
  id: string;
  name?: string | undefined;
}

export interface RowMark {
  text: string;
  tone: 'ok' | 'muted' | 'bad';
  /** Where the file is, on hover. */
  title?: string | undefined;
}

const LOOKUP_LIMIT = 10_000;

/** The mark beside a file the queue already has: green only for a file verified on disk. */
export function rowMark(found: { mark: QueueMark; path?: string | undefined }): RowMark {
  const where = found.path ? `At ${found.path}` : undefined;
  switch (found.mark) {
    case 'verified':
      return { text: 'Downloaded, verified', tone: 'ok', title: where };
    case 'downloaded':
      return { text: 'Downloaded, not verified', tone: 'muted', title: where };
    case 'queued':
      return { text: 'In the queue', tone: 'muted' };
    case 'failed':
      return { text: 'Failed in the queue', tone: 'bad' };
  }
}

/**
 * Marks for the files a view shows: asked of the core when the files change and whenever the queue's rows
 * change shape (a file queued, finished, removed), so a file added from Browse reads "In the queue" at once.
 */
export function useQueueMarks(files: readonly MarkedFile[]): ReadonlyMap<string, RowMark> {
  const stores = useStores();
  const shape = useQueue((s) => s.shapeVersion);
  const ids = useQueue((s) => s.ids);
  const [marks, setMarks] = useState<ReadonlyMap<string, RowMark>>(new Map());
  const signature = files.map((f) => `${f.key}\t${f.id}\t${f.name ?? ''}`).join('\n');
  // biome-ignore lint/correctness/useExhaustiveDependencies: the signature stands for the files; shape and ids for the queue.
  useEffect(() => {
    const asked = files.slice(0, LOOKUP_LIMIT);
    if (asked.length === 0) {
      setMarks(new Map());
      return;
    }
    let current = true;
    stores.transport
      .invoke('queue:lookup', { files: asked.map(({ id, name }) => (name ? { id, name } : { id })) })
      .then(
        ({ marks: found }) => {
          if (!current) return;
          const next = new Map<string, RowMark>();
          found.forEach((entry, i) => {
            const file = asked[i];
            if (file && entry.mark) next.set(file.key, rowMark({ mark: entry.mark, path: entry.path }));
          });
          setMarks(next);
        },
        // Marks are a help, not a must: a core without the channel (or a lost connection) shows none.
        () => {},
      );
    return () => {
      current = false;
    };
  }, [stores, signature, shape, ids]);
  return marks;
}
