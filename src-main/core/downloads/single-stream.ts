import type { Hash } from 'node:crypto';
import { createHasher, hashFileRange } from './checksum.ts';
import type { PartFile } from './part-file.ts';
import type { StorageLink, TransferSession } from './session.ts';
import { runTransfer } from './transfer.ts';

/**
 * One connection per file, resumed with Range after every failure. Bytes are hashed as they arrive in order,
 * so verification costs nothing extra. On a resume within this run the in-memory hasher simply continues;
 * after a restart of the app (or when the file was cut back) the .part prefix is re-hashed from disk first:
 * node's hashes cannot be persisted, and re-reading a prefix is cheap next to downloading it.
 * Returns the digest (hex) when the job has a hash to check.
 */
export async function downloadSingle(
  session: TransferSession,
  first: StorageLink,
): Promise<string | undefined> {
  const algorithm = session.plan.kind === 'hash' ? session.plan.algorithm : undefined;
  let hasher: { hash: Hash; position: number } | undefined;
  let next: StorageLink | undefined = first;
  let position = 0;

  const catchUp = async (file: PartFile, offset: number) => {
    if (!algorithm || hasher?.position === offset) return;
    const hash = createHasher(algorithm);
    const fed = await hashFileRange(file.handle, hash, 0, offset, session.signal);
    hasher = { hash, position: fed };
  };

  for (;;) {
    let offset = 0;
    if (session.committed) {
      const file = await session.part();
      offset = await startingOffset(session, file);
      await catchUp(file, offset);
      if (session.size !== undefined && offset === session.size && offset > 0) {
        position = offset;
        break;
      }
    }
    position = offset;
    const link = next ?? (await session.freshLink());
    next = undefined;
    try {
      let file: PartFile | undefined;
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
              hasher = algorithm ? { hash: createHasher(algorithm), position: 0 } : undefined;
              position = 0;
              session.setBytesDone(0);
            }
            if (info.etag) session.state.etag = info.etag;
            if (session.size === undefined && info.size !== undefined) session.size = info.size;
          },
          write: async (chunk, at) => {
            await (file as PartFile).write(chunk, at);
            if (hasher) {
              hasher.hash.update(chunk);
              hasher.position = at + chunk.length;
            }
            position = at + chunk.length;
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
  return hasher?.hash.digest('hex');
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
