import type { PartFile } from '../disk/part-file.ts';
import { CHUNK_HASH_MAX_BYTES, ChunkHasher } from '../hashing/chunk-hasher.ts';
import { PrefixHasher } from '../hashing/prefix-hasher.ts';
import { runTransfer, totalLength } from '../transfer/transfer.ts';
import type { StorageLink, TransferSession } from './session.ts';

/**
 * One connection per file, resumed with Range after every failure. The written prefix is hashed beside the
 * transfer (PrefixHasher), so verification costs little extra. On a resume within this run the hasher simply
 * continues; after a restart of the app (or when the file was cut back) a new one starts from byte 0.
 * Returns the digest (hex) when the job has a hash to check and it could be computed on the way.
 */
export async function downloadSingle(
  session: TransferSession,
  first: StorageLink,
): Promise<string | undefined> {
  const plan = session.plan;
  let hasher: PrefixHasher | ChunkHasher | undefined;
  // A new hasher whenever the file starts over (or is cut back): the old one's bytes are not this file's.
  // A small file is hashed from its written chunks (no worker round trips); a larger one by the worker.
  const restartHash = (file: PartFile, from: number) => {
    hasher?.dispose();
    if (plan.kind !== 'hash') hasher = undefined;
    else if (session.size !== undefined && session.size <= CHUNK_HASH_MAX_BYTES)
      hasher = new ChunkHasher(plan.algorithm, from);
    else hasher = new PrefixHasher(file.path, plan.algorithm, session.signal);
    hasher?.advance(from);
  };
  let next: StorageLink | undefined = first;
  let position = 0;

  try {
    for (;;) {
      let offset = 0;
      if (session.committed) {
        const file = await session.part();
        offset = await startingOffset(session, file);
        // A hasher from earlier in this run has read at most what was written then, all still in place.
        if (!hasher || offset < position) restartHash(file, offset);
        if (session.size !== undefined && offset === session.size && offset > 0) {
          position = offset;
          break;
        }
      }
      position = offset;
      const link = next ?? (await session.freshLink());
      next = undefined;
      let file: PartFile | undefined;
      try {
        await runTransfer(
          session.transferDeps,
          {
            url: link.url,
            headers: link.headers,
            start: offset,
            size: session.size,
            ranged: session.state.noRanges !== true,
            wholeOk: true,
            ifRange: session.state.etag,
            stallTimeoutMs: session.stallTimeoutMs,
            signal: session.signal,
          },
          {
            begin: async (info) => {
              if (!session.committed) await session.commitAtResponse(link, info.contentDisposition);
              file = await session.part();
              if (info.offset !== offset)
                session.note('Server ignored the resume request: started the file over');
              if (info.offset === 0) {
                // A new start: whatever was in the .part file is not this response's bytes.
                await file.truncate(0);
                restartHash(file, 0);
                position = 0;
                session.setBytesDone(0);
              }
              if (info.etag) session.state.etag = info.etag;
              if (session.size === undefined && info.size !== undefined) session.size = info.size;
            },
            write: async (chunks, at) => {
              await (file as PartFile).write(chunks, at);
              if (hasher instanceof ChunkHasher) hasher.written(chunks, at);
              position = at + totalLength(chunks);
              hasher?.advance(position);
              session.setBytesDone(position);
            },
          },
        );
        break;
      } catch (error) {
        const action = await session.recover(error, position);
        if (action === 'restart') session.state.noRanges = true;
      }
    }
    // A body without a length (chunked) tells the size only by ending.
    if (session.size === undefined) session.size = position;
    return await hasher?.finish(position);
  } finally {
    hasher?.dispose();
  }
}

/** Where to resume: the .part length, or 0 when ranges cannot be trusted or the file is longer than expected. */
async function startingOffset(session: TransferSession, file: PartFile): Promise<number> {
  const length = await session.partLength();
  const tooLong = session.size !== undefined && length > session.size;
  if (length > 0 && (session.state.noRanges || tooLong)) {
    await file.truncate(0);
    return 0;
  }
  return length;
}
