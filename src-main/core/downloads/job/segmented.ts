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
 * A file's pieces fetched `request.connections` at a time into one .part file, each piece its own resumable
 * ranged GET, all sharing the job's retry budget. Connections take the pieces in file order, so the contiguous
 * prefix grows as the download goes and the PrefixHasher keeps up with it: when the last byte lands only the
 * last round of pieces is left to hash. The map (start, end, done per piece) is persisted with progress; after
 * a crash each piece resumes at start + done. `segments` is that persisted map: the run saves it with the
 * progress this reports, so each piece's `done` moves as its bytes land. docs/architecture.md, "Segments".
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

  const pending = segments.filter((s) => !segmentComplete(s));
  let next = 0;
  const fetchPiece = async (segment: Segment, link: StorageLink) => {
    await runTransfer(
      request.transferDeps,
      {
        url: link.url,
        headers: link.headers,
        start: segmentOffset(segment),
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
  };

  // A connection starts with the link fetched for the job's start and keeps a link while it serves; after a
  // failure it asks for a fresh one (the old one may have expired).
  const connection = async () => {
    let link: StorageLink | undefined = request.first;
    for (let segment = pending[next++]; segment; segment = pending[next++]) {
      while (!segmentComplete(segment)) {
        link ??= await session.freshLink();
        try {
          await fetchPiece(segment, link);
        } catch (error) {
          link = undefined;
          if ((await session.recover(error, segmentOffset(segment), inner.signal)) === 'restart') {
            throw new RangesUnsupported();
          }
        }
      }
    }
  };

  const running = Array.from({ length: Math.max(1, Math.min(request.connections, pending.length)) }, () =>
    connection().catch((error: unknown) => {
      inner.abort(error);
      throw error;
    }),
  );
  const results = await Promise.allSettled(running);
  signal.removeEventListener('abort', onAbort);
  const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (signal.aborted || failure) {
    hasher?.dispose();
    throw signal.aborted ? signal.reason : (inner.signal.reason ?? failure?.reason);
  }
  file.flushRest();
  return { digest: await hasher?.finish(contiguousEnd(segments)), size };
}
