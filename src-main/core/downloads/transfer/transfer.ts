import type { Request as GotStream } from 'got';
import { isAppError } from '../../../../src-shared/domain/errors.ts';
import { formatSeconds } from '../../../../src-shared/format.ts';
import { nextHopProblem } from '../../http/url-policy.ts';
import type { HttpClient } from './http-client.ts';
import type { RateLimiter } from './rate-limit.ts';
import { checkResponse, type Headers, header, type ResponseInfo, rangeHeaders } from './response-checks.ts';
import { storageError, TransferError } from './transfer-error.ts';

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
  /** Bytes in order (socket chunks, never reused by node); `position` is where the first one goes in the file. */
  write(chunks: readonly Buffer[], position: number): Promise<void>;
}

export interface TransferDeps {
  http: HttpClient;
  limiter?: RateLimiter | undefined;
}

export function totalLength(chunks: readonly Uint8Array[]): number {
  let length = 0;
  for (const chunk of chunks) length += chunk.length;
  return length;
}

const MAX_REDIRECTS = 5;
const ERROR_BODY_LIMIT = 64 * 1024;

export async function runTransfer(
  deps: TransferDeps,
  request: TransferRequest,
  sink: TransferSink,
): Promise<{ info: ResponseInfo; received: number }> {
  const release = await deps.http.slots.acquire(request.signal);
  try {
    let url = request.url;
    let headers = { ...request.headers, ...rangeHeaders(request) };
    for (let hop = 0; ; hop++) {
      const watch = new Watchdog(request.stallTimeoutMs, request.signal);
      const stream = deps.http.got.stream(url, { headers });
      watch.attach(stream);
      try {
        const response = await watch.guard(awaitResponse(stream));
        const status = response.statusCode;
        const location = response.headers.location;
        if (status >= 300 && status < 400 && location && hop < MAX_REDIRECTS) {
          const next = new URL(location, url);
          // The chain's first URL was judged against its DRS server already; each hop is judged from it.
          const refused = nextHopProblem(url, next, request.url);
          if (refused) {
            throw new TransferError(
              'bad-response',
              `Storage redirected the download elsewhere, which was refused: ${refused}.`,
            );
          }
          // Headers given for one origin never follow a redirect to another.
          if (next.origin !== new URL(url).origin) headers = rangeHeaders(request);
          url = next.href;
          stream.destroy();
          continue;
        }
        if (status < 200 || status >= 300) {
          const body = await watch.guard(readSome(stream, ERROR_BODY_LIMIT));
          throw storageError(status, body, header(response.headers['retry-after']));
        }
        const info = checkResponse(request, status, response.headers);
        // The sink may take a while (judging a file already on disk): that is not the network stalling.
        watch.pause();
        await sink.begin(info);
        watch.resume();
        const received = await watch.guard(pump(stream, info, request, sink, deps.limiter, watch));
        return { info, received };
      } finally {
        watch.stop();
        stream.destroy();
      }
    }
  } finally {
    release();
  }
}

/**
 * Socket chunks (about 64 KiB) are written as they come while the disk keeps up; while a write is in flight the
 * next ones gather, up to WRITE_BATCH bytes. So a fast link gets large writes that overlap the network and the
 * hash (done in the sink), and a slow link still sees every chunk on disk (and in the progress) at once. Order
 * is kept: a write starts only after the previous one finished, so the sink sees bytes in sequence.
 */
const WRITE_BATCH = 1024 * 1024;

async function pump(
  stream: GotStream,
  info: ResponseInfo,
  request: TransferRequest,
  sink: TransferSink,
  limiter: RateLimiter | undefined,
  watch: Watchdog,
): Promise<number> {
  let position = info.offset;
  const writer = new BatchWriter(sink, position);
  try {
    for await (const data of stream) {
      // Bytes arrived: the stall clock starts over.
      watch.resume();
      const chunk = data as Buffer;
      if (info.end !== undefined && position + chunk.length > info.end) {
        throw new TransferError('bad-response', `Storage sent more bytes than announced (over ${info.end}).`);
      }
      if (limiter) {
        watch.pause();
        await limiter.take(chunk.length, request.signal);
        watch.resume();
      }
      position += chunk.length;
      if (writer.add(chunk)) {
        // The disk is behind by a full batch: let it catch up before reading more.
        watch.pause();
        await writer.idle();
        watch.resume();
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

/** Writes chunks in order, one write at a time, gathering what arrives meanwhile into the next write. */
class BatchWriter {
  private readonly sink: TransferSink;
  private batch: Buffer[] = [];
  private batchBytes = 0;
  private next: number;
  private writing: Promise<void> | undefined;
  private failure: unknown;

  constructor(sink: TransferSink, start: number) {
    this.sink = sink;
    this.next = start;
  }

  /** Queues a chunk; true when a full batch is waiting (the caller should wait for `idle`). */
  add(chunk: Buffer): boolean {
    if (this.failure !== undefined) throw this.failure;
    this.batch.push(chunk);
    this.batchBytes += chunk.length;
    this.kick();
    return this.batchBytes >= WRITE_BATCH;
  }

  /** Resolves when the write in flight is done; rethrows a failed write. */
  async idle(): Promise<void> {
    await this.writing;
    if (this.failure !== undefined) throw this.failure;
  }

  /** Writes everything queued; rethrows a failed write. */
  async drain(): Promise<void> {
    while (this.writing) await this.writing;
    if (this.failure !== undefined) throw this.failure;
  }

  private kick(): void {
    if (this.writing || this.batchBytes === 0 || this.failure !== undefined) return;
    // Handed over as the socket's chunks for one writev: copying them into one buffer cost as much as the write.
    const chunks = this.batch;
    const at = this.next;
    this.next += this.batchBytes;
    this.batch = [];
    this.batchBytes = 0;
    this.writing = this.sink.write(chunks, at).then(
      () => {
        this.writing = undefined;
        this.kick();
      },
      (error: unknown) => {
        this.writing = undefined;
        this.failure = error;
      },
    );
  }
}

function awaitResponse(stream: GotStream): Promise<{ statusCode: number; headers: Headers }> {
  return new Promise((resolve, reject) => {
    stream.once('response', resolve);
    stream.once('error', reject);
    stream.once('close', () => reject(new Error('closed before a response')));
  });
}

async function readSome(stream: GotStream, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const data of stream) {
    chunks.push(data as Buffer);
    size += (data as Buffer).length;
    if (size >= limit) break;
  }
  return Buffer.concat(chunks).subarray(0, limit).toString('utf8');
}

/**
 * No byte for `timeoutMs` (while waiting on the network, not on the disk or the rate limit) counts as a stall:
 * the stream is destroyed and the transfer fails with `stalled`. An abort of `signal` ends it with its reason.
 */
class Watchdog {
  private readonly timeoutMs: number;
  private readonly signal: AbortSignal;
  private timer: NodeJS.Timeout | undefined;
  private stream: GotStream | undefined;
  private stalled = false;
  // Destroyed with an error, never without: a body that merely ended would look complete when it has no length.
  private readonly onAbort = () => this.stream?.destroy(new Error('aborted'));

  constructor(timeoutMs: number, signal: AbortSignal) {
    this.timeoutMs = timeoutMs;
    this.signal = signal;
  }

  attach(stream: GotStream): void {
    this.stream = stream;
    this.signal.addEventListener('abort', this.onAbort, { once: true });
    if (this.signal.aborted) stream.destroy(new Error('aborted'));
    this.resume();
  }

  pause(): void {
    clearTimeout(this.timer);
  }

  resume(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.stalled = true;
      this.stream?.destroy(new Error('stalled'));
    }, this.timeoutMs);
  }

  stop(): void {
    clearTimeout(this.timer);
    this.signal.removeEventListener('abort', this.onAbort);
  }

  /** Runs `work`, turning a destroyed stream into the reason it was destroyed. */
  async guard<T>(work: Promise<T>): Promise<T> {
    try {
      return await work;
    } catch (error) {
      if (this.signal.aborted) throw this.signal.reason;
      if (this.stalled) {
        throw new TransferError(
          'stalled',
          `No data for ${formatSeconds(this.timeoutMs)}: the connection stalled.`,
        );
      }
      if (isAppError(error)) throw error;
      throw new TransferError('network', `Connection dropped (${describeNetworkError(error)}).`, {
        cause: error,
      });
    }
  }
}

function describeNetworkError(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && code !== 'ERR_GOT_REQUEST_ERROR') return code;
  return error instanceof Error ? error.message.slice(0, 120) : 'unknown error';
}
