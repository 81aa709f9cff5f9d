import { AppError } from '../../../../src-shared/domain/errors.ts';
import { contiguousEnd, PrefixHasher } from '../hashing/prefix-hasher.ts';
import { runTransfer, totalLength } from '../transfer/transfer.ts';
import { type Segment, segmentComplete, segmentOffset, segmentsDone } from './segments.ts';
import type { StorageLink, TransferRequest, TransferResult, TransferSession } from './session.ts';

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
 * when the job has a hash to check. `segments` is the persisted map: the run saves it with the progress this
 * reports, so each segment's `done` moves as its bytes land.
 */
export async function downloadSegmented(
  session: TransferSession,
  request: TransferRequest,
  segments: Segment[],
): Promise<TransferResult> {
  const { plan, signal, size } = request;
  let etag = request.etag;
  const file = await session.part();
  const hasher = plan.kind === 'hash' ? new PrefixHasher(file.path, plan.algorithm, signal) : undefined;
  const inner = new AbortController();
  const onAbort = () => inner.abort(signal.reason);
  signal.addEventListener('abort', onAbort, { once: true });
  let shared: StorageLink | undefined = request.first;

  const worker = async (segment: Segment) => {
    // Every segment's first request shares the link fetched for the job's start.
    let link: StorageLink | undefined = shared;
    while (!segmentComplete(segment)) {
      link ??= await session.freshLink();
      const start = segmentOffset(segment);
      try {
        await runTransfer(
          request.transferDeps,
          {
            url: link.url,
            headers: link.headers,
            start,
            end: segment.end,
            size,
            ranged: true,
            wholeOk: false,
            ifRange: etag,
            stallTimeoutMs: request.stallTimeoutMs,
            signal: inner.signal,
          },
          {
            begin: (info) => {
              if (info.etag && !etag) {
                etag = info.etag;
                session.learned({ etag });
              }
            },
            write: async (chunks, at) => {
              await file.write(chunks, at);
              segment.done = at + totalLength(chunks) - segment.start;
              session.progressed(segmentsDone(segments));
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
  signal.removeEventListener('abort', onAbort);
  const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (signal.aborted || failure) {
    hasher?.dispose();
    throw signal.aborted ? signal.reason : (inner.signal.reason ?? failure?.reason);
  }
  return { digest: await hasher?.finish(contiguousEnd(segments)), size };
}
