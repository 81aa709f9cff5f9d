import type { ConnectionPool, Headers } from '../../http/connection-pool.ts';
import { followRedirects, type Hop } from '../../http/redirects.ts';
import { BatchWriter } from './batch-writer.ts';
import { RATE_PIECE, type RateLimiter } from './rate-limit.ts';
import { checkResponse, header, type ResponseInfo, rangeHeaders } from './response-checks.ts';
import { storageError, TransferError } from './transfer-error.ts';
import { Watchdog } from './watchdog.ts';

export type { ResponseInfo } from './response-checks.ts';

/** One GET of a byte range from a storage URL into a sink; never retries (the caller's loop does). */
export interface TransferRequest {
  url: string;
  /** AccessURL headers from DRS; a clean request otherwise (never the portal's credentials). */
  headers: Record<string, string>;
  /** First byte wanted. */
  start: number;
  /** One past the last byte wanted, for a segment; undefined means to the end of the file. */
  end?: number | undefined;
  /** The file's size when known: a 206's total and a 200's length must match it. */
  size?: number | undefined;
  /** False when the server is known to mangle ranges: ask for the whole file. */
  ranged: boolean;
  /** A 200 to a ranged request may be consumed from byte 0 (single stream); a segment cannot. */
  wholeOk: boolean;
  /** Strong ETag from earlier responses, sent as If-Range so a changed object comes back whole. */
  ifRange?: string | undefined;
  stallTimeoutMs: number;
  signal: AbortSignal;
}

export interface TransferSink {
  /** Headers checked, no byte written yet: the sink opens or truncates its file, or throws to refuse. */
  begin(info: ResponseInfo): Promise<void> | void;
  /**
   * Bytes in order; `position` is where the first one goes in the file. The chunks are lent views of the
   * receive slabs (slab-pool.ts): when the returned promise resolves they are read into again, so a sink that
   * keeps bytes beyond its write copies them.
   */
  write(chunks: readonly Buffer[], position: number): Promise<void>;
}

export interface TransferDeps {
  http: ConnectionPool;
  limiter?: RateLimiter | undefined;
}

export function totalLength(chunks: readonly Uint8Array[]): number {
  let length = 0;
  for (const chunk of chunks) length += chunk.length;
  return length;
}

const MAX_REDIRECTS = 5;
const ERROR_BODY_LIMIT = 64 * 1024;

/**
 * The GET loop of a storage transfer: a slot, the redirect chain (followRedirects, the same hop policy as the
 * portal's), the answer judged (response-checks.ts, transfer-error.ts), then the body pumped into the sink
 * through the batch writer under the watchdog.
 */
export async function runTransfer(
  deps: TransferDeps,
  request: TransferRequest,
  sink: TransferSink,
): Promise<{ info: ResponseInfo; received: number }> {
  const release = await deps.http.slots.acquire(request.signal);
  try {
    // The DRS headers belong to the access URL's origin; the chain's first URL was judged against its server.
    const first: Hop = { url: new URL(request.url), method: 'GET', originHeaders: request.headers };
    const answer = await followRedirects(first, (hop) => openHop(deps.http, hop, request), {
      maxRedirects: MAX_REDIRECTS,
      discard: (hop) => hop.close(),
      refuse: (_from, problem) =>
        new TransferError(
          'bad-response',
          problem === undefined
            ? 'Storage redirected the download too many times.'
            : `Storage redirected the download elsewhere, which was refused: ${problem}.`,
        ),
    });
    const { status, headers, body: stream, release, watch } = answer;
    try {
      if (status < 200 || status >= 300) {
        const body = await watch.guard(readSome(stream, release, ERROR_BODY_LIMIT));
        throw storageError(status, body, header(headers['retry-after']));
      }
      const info = checkResponse(request, status, headers);
      // The sink may take a while (judging a file already on disk): that is not the network stalling.
      watch.pause();
      await sink.begin(info);
      watch.resume();
      const received = await watch.guard(pump({ stream, release }, info, request, sink, deps.limiter, watch));
      return { info, received };
    } finally {
      answer.close();
    }
  } finally {
    release();
  }
}

/** One storage answer, its body not read yet, with the stream and the watchdog that guards it. */
interface OpenHop {
  status: number;
  headers: Headers;
  body: AsyncIterable<Buffer>;
  /** Gives back views of the body once read (slab-pool.ts). */
  release(views: readonly Uint8Array[]): void;
  watch: Watchdog;
  close(): void;
}

/** Opens one GET of the chain: the hop's origin-bound headers plus Range, the stall clock running from the start. */
async function openHop(pool: ConnectionPool, hop: Hop, request: TransferRequest): Promise<OpenHop> {
  const watch = new Watchdog(request.stallTimeoutMs, request.signal);
  const exchange = pool.stream(hop.url, { ...hop.originHeaders, ...rangeHeaders(request) });
  watch.attach(exchange);
  const close = () => {
    watch.stop();
    exchange.destroy();
  };
  try {
    const answer = await watch.guard(exchange.response);
    return {
      status: answer.statusCode,
      headers: answer.headers,
      body: answer.body,
      release: answer.release,
      watch,
      close,
    };
  } catch (error) {
    close();
    throw error;
  }
}

async function pump(
  { stream, release }: { stream: AsyncIterable<Buffer>; release: (views: readonly Uint8Array[]) => void },
  info: ResponseInfo,
  request: TransferRequest,
  sink: TransferSink,
  limiter: RateLimiter | undefined,
  watch: Watchdog,
): Promise<number> {
  let position = info.offset;
  const writer = new BatchWriter((chunks, at) => sink.write(chunks, at), position, release);
  try {
    for await (const chunk of stream) {
      // Bytes arrived: the stall clock starts over.
      watch.resume();
      if (info.end !== undefined && position + chunk.length > info.end) {
        throw new TransferError('bad-response', `Storage sent more bytes than announced (over ${info.end}).`);
      }
      const pieces = limiter?.capped ? piecesOf(chunk, RATE_PIECE) : [chunk];
      for (const piece of pieces) {
        if (limiter) {
          watch.pause();
          await limiter.take(piece.length, request.signal);
          watch.resume();
        }
        position += piece.length;
        if (writer.add(piece)) {
          // The disk is behind by a full batch: let it catch up before reading more.
          watch.pause();
          await writer.idle();
          watch.resume();
        }
      }
    }
  } finally {
    // Bytes that arrived before a drop, a stall or a pause are good: they are written before anyone reads how
    // far the transfer got, so a resume starts after them.
    watch.pause();
    await writer.drain();
  }
  if (info.end !== undefined && position < info.end) {
    throw new TransferError('network', `Connection closed early, at byte ${position} of ${info.end}.`);
  }
  return position - info.offset;
}

/** `chunk` as views of at most `size` bytes (the same memory). */
function piecesOf(chunk: Buffer, size: number): Buffer[] {
  if (chunk.length <= size) return [chunk];
  const pieces: Buffer[] = [];
  for (let at = 0; at < chunk.length; at += size) pieces.push(chunk.subarray(at, at + size));
  return pieces;
}

async function readSome(
  stream: AsyncIterable<Buffer>,
  release: (views: readonly Uint8Array[]) => void,
  limit: number,
): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    chunks.push(chunk);
    size += chunk.length;
    if (size >= limit) break;
  }
  const text = Buffer.concat(chunks).subarray(0, limit).toString('utf8');
  release(chunks);
  return text;
}
