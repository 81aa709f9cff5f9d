import { AppError } from '../../../../src-shared/domain/errors.ts';
import { contiguousEnd, PrefixHasher } from '../hashing/prefix-hasher.ts';
import { runTransfer, totalLength } from '../transfer/transfer.ts';
import { TransferError } from '../transfer/transfer-error.ts';
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

  // One link serves every connection: the one fetched for the job's start, then whichever fresh one replaced
  // it. Pieces mean a new request every few MiB, so once a signed link expires each connection's next request
  // fails; the first failure with a link asks for a fresh one and counts against the retry budget, and a
  // connection whose refused request used a link already replaced simply tries again with the new one, so four
  // connections meeting one expiry count one failure, not four (a plain 403 may fail a job after two).
  let shared: Promise<StorageLink> = Promise.resolve(request.first);
  const connection = async () => {
    for (let segment = pending[next++]; segment; segment = pending[next++]) {
      while (!segmentComplete(segment)) {
        const used = shared;
        // A link that cannot be had (the source's own retries spent) ends the connection, and so the job.
        const link = await used;
        try {
          await fetchPiece(segment, link);
        } catch (error) {
          if (used !== shared && refusedLink(error)) continue;
          if (used === shared) {
            shared = session.freshLink();
            // Awaited by the next request; a failure nobody comes back for must not go unhandled.
            shared.catch(() => {});
          }
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

/** Storage refused the link itself (expired, or forbidden): another link may do. */
function refusedLink(error: unknown): boolean {
  return error instanceof TransferError && (error.code === 'url-expired' || error.code === 'forbidden');
}
