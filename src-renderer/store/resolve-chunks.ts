import type { InvokeOutput } from '../../src-shared/ipc/contract.ts';
import { ApiError, type Transport } from '../api/transport.ts';

export type ResolveResult = InvokeOutput<'files:preview'>['results'][number];

export interface ResolveChunksOptions {
  chunkSize?: number;
  concurrency?: number;
  /** False once the caller has moved on (new text, new profile): remaining chunks are not sent. */
  isCurrent: () => boolean;
  onResults: (results: ResolveResult[]) => void;
}

/**
 * Resolves ids a chunk at a time with a few chunks in flight, handing each chunk's results over as it lands,
 * so a preview of thousands of lines fills in rather than waiting for the last object.
 * A chunk that fails as a whole (network, server) marks its ids failed with that reason.
 */
export async function resolveInChunks(
  transport: Transport,
  ids: readonly string[],
  profile: string | undefined,
  options: ResolveChunksOptions,
): Promise<void> {
  const size = options.chunkSize ?? 50;
  const chunks: string[][] = [];
  for (let i = 0; i < ids.length; i += size) chunks.push(ids.slice(i, i + size));
  let next = 0;
  const worker = async () => {
    while (next < chunks.length && options.isCurrent()) {
      const chunk = chunks[next++] as string[];
      try {
        const { results } = await transport.invoke('files:preview', { ids: chunk, profile });
        if (options.isCurrent()) options.onResults(results);
      } catch (error) {
        const info =
          error instanceof ApiError
            ? { code: error.code, message: error.message }
            : { code: 'internal' as const, message: String(error) };
        if (options.isCurrent()) options.onResults(chunk.map((input) => ({ input, ok: false, error: info })));
      }
    }
  };
  const workers = Array.from({ length: Math.min(options.concurrency ?? 2, chunks.length) }, worker);
  await Promise.all(workers);
}
