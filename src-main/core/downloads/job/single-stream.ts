import type { PartFile } from '../disk/part-file.ts';
import { CHUNK_HASH_MAX_BYTES, ChunkHasher } from '../hashing/chunk-hasher.ts';
import { PrefixHasher } from '../hashing/prefix-hasher.ts';
import { runTransfer, totalLength } from '../transfer/transfer.ts';
import type { StorageLink, TransferRequest, TransferResult, TransferSession } from './session.ts';

/**
 * One connection per file, resumed with Range after every failure. The written prefix is hashed beside the
 * transfer (PrefixHasher), so verification costs little extra. On a resume within this run the hasher simply
 * continues; after a restart of the app (or when the file was cut back) a new one starts from byte 0.
 * Returns the digest (hex) when the job has a hash to check and it could be computed on the way, and the size.
 */
export async function downloadSingle(
  session: TransferSession,
  request: TransferRequest,
): Promise<TransferResult> {
  const { plan, signal } = request;
  let { size, etag, noRanges, named } = request;
  let hasher: PrefixHasher | ChunkHasher | undefined;
  // A new hasher whenever the file starts over (or is cut back): the old one's bytes are not this file's.
  // A small file is hashed from its written chunks (no worker round trips); a larger one by the worker.
  const restartHash = (file: PartFile, from: number) => {
    hasher?.dispose();
    if (plan.kind !== 'hash') hasher = undefined;
    else if (size !== undefined && size <= CHUNK_HASH_MAX_BYTES)
      hasher = new ChunkHasher(plan.algorithm, from);
    else hasher = new PrefixHasher(file.path, plan.algorithm, signal);
    hasher?.advance(from);
  };
  let next: StorageLink | undefined = request.first;
  let position = 0;

  try {
    for (;;) {
      let offset = 0;
      if (named) {
        const file = await session.part();
        offset = await startingOffset(session, file, { size, noRanges });
        // A hasher from earlier in this run has read at most what was written then, all still in place.
        if (!hasher || offset < position) restartHash(file, offset);
        if (size !== undefined && offset === size && offset > 0) {
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
          request.transferDeps,
          {
            url: link.url,
            headers: link.headers,
            start: offset,
            size,
            ranged: !noRanges,
            wholeOk: true,
            ifRange: etag,
            stallTimeoutMs: request.stallTimeoutMs,
            signal,
          },
          {
            begin: async (info) => {
              file = await session.part({ link, contentDisposition: info.contentDisposition });
              named = true;
              if (info.offset !== offset)
                session.note('Server ignored the resume request: started the file over');
              if (info.offset === 0) {
                // A new start: whatever was in the .part file is not this response's bytes.
                await file.truncate(0);
                restartHash(file, 0);
                position = 0;
                session.progressed(0);
              }
              if (info.etag) {
                etag = info.etag;
                session.learned({ etag });
              }
              if (size === undefined && info.size !== undefined) {
                size = info.size;
                session.learned({ size });
              }
            },
            write: async (chunks, at) => {
              await (file as PartFile).write(chunks, at);
              if (hasher instanceof ChunkHasher) hasher.written(chunks, at);
              position = at + totalLength(chunks);
              hasher?.advance(position);
              session.progressed(position);
            },
          },
        );
        break;
      } catch (error) {
        const action = await session.recover(error, position);
        if (action === 'restart') {
          noRanges = true;
          session.learned({ noRanges });
        }
      }
    }
    // A body without a length (chunked) tells the size only by ending.
    size ??= position;
    (await session.part()).flushRest();
    return { digest: await hasher?.finish(position), size };
  } finally {
    hasher?.dispose();
  }
}

/** Where to resume: the .part length, or 0 when ranges cannot be trusted or the file is longer than expected. */
async function startingOffset(
  session: TransferSession,
  file: PartFile,
  known: { size: number | undefined; noRanges: boolean },
): Promise<number> {
  const length = await session.partLength();
  const tooLong = known.size !== undefined && length > known.size;
  if (length > 0 && (known.noRanges || tooLong)) {
    await file.truncate(0);
    return 0;
  }
  return length;
}
