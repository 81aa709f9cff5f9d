import { AppError } from '../../../../src-shared/domain/errors.ts';
import { contiguousEnd, PrefixHasher } from '../hashing/prefix-hasher.ts';
import { runTransfer, totalLength } from '../transfer/transfer.ts';
import { type Segment, segmentComplete, segmentOffset, segmentsDone } from './segments.ts';
import type { StorageLink, TransferSession } from './session.ts';

/** Thrown when the server cannot be trusted with ranges: the caller starts the file over as one stream. */
export class RangesUnsupported extends AppError {
  constructor() {
    super('range-unsupported', 'Storage does not serve byte ranges reliably: downloading in one piece.');
  }
}

/**
 * Segments fetched in parallel into one .part file, each its own resumable ranged GET, sharing the job's
 * retry budget. The segment map (start, end, done) is persisted with progress; after a crash each segment
 * resumes at start + done. The contiguous prefix is hashed as it grows (PrefixHasher); the digest is returned
 * when the job has a hash to check.
 */
export async function downloadSegmented(
  session: TransferSession,
  segments: Segment[],
  first: StorageLink,
): Promise<string | undefined> {
  session.state.segments = segments;
  const file = await session.part();
  const plan = session.plan;
  const hasher =
    plan.kind === 'hash' ? new PrefixHasher(file.path, plan.algorithm, session.signal) : undefined;
  const inner = new AbortController();
  const onAbort = () => inner.abort(session.signal.reason);
  session.signal.addEventListener('abort', onAbort, { once: true });
  let shared: StorageLink | undefined = first;

  const worker = async (segment: Segment) => {
    // Every segment's first request shares the link fetched for the job's start.
    let link: StorageLink | undefined = shared;
    while (!segmentComplete(segment)) {
      link ??= await session.freshLink();
      const start = segmentOffset(segment);
      try {
        await runTransfer(
          session.transferDeps,
          {
            url: link.url,
            headers: link.headers,
            start,
            end: segment.end,
            size: session.size,
            ranged: true,
            wholeOk: false,
            ifRange: session.state.etag,
            stallTimeoutMs: session.stallTimeoutMs,
            signal: inner.signal,
          },
          {
            begin: (info) => {
              if (info.etag && !session.state.etag) session.state.etag = info.etag;
            },
            write: async (chunks, at) => {
              await file.write(chunks, at);
              segment.done = at + totalLength(chunks) - segment.start;
              session.setBytesDone(segmentsDone(segments));
              hasher?.advance(contiguousEnd(segments));
            },
          },
        );
      } catch (error) {
        if ((await session.recover(error, segmentOffset(segment), inner.signal)) === 'restart') {
          throw new RangesUnsupported();
        }
      }
      link = undefined;
    }
  };

  const running = segments
    .filter((s) => !segmentComplete(s))
    .map((s) =>
      worker(s).catch((error: unknown) => {
        inner.abort(error);
        throw error;
      }),
    );
  shared = undefined;
  const results = await Promise.allSettled(running);
  session.signal.removeEventListener('abort', onAbort);
  const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (session.signal.aborted || failure) {
    hasher?.dispose();
    throw session.signal.aborted ? session.signal.reason : (inner.signal.reason ?? failure?.reason);
  }
  return hasher?.finish(contiguousEnd(segments));
}
