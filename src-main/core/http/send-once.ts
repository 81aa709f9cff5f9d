import { AppError } from '../../../src-shared/domain/errors.ts';
import type { ConnectionPool, Headers, StreamResponse, Timeouts } from './connection-pool.ts';
import type { Method } from './redirects.ts';

export type { Headers } from './connection-pool.ts';

export interface OnceRequest {
  pool: ConnectionPool;
  url: URL;
  method: Method;
  /** Final headers: the caller has already decided on Authorization. */
  headers: Record<string, string>;
  body: string | undefined;
  timeouts: Timeouts;
  /** Whether to read this status's body; unread bodies are drained when short, else cut off with the connection. */
  readBody: (status: number) => boolean;
  maxBodyBytes: number;
  signal: AbortSignal | undefined;
  what: string;
}

export interface OnceResponse {
  status: number;
  url: string;
  headers: Headers;
  body: Buffer;
}

/**
 * One buffered HTTP exchange on the pool (no redirects, retries, decompression or thrown statuses: policy lives
 * in HttpClient and followRedirects). Rejects with the network error (a code such as ECONNREFUSED or
 * ETIMEDOUT); the caller turns it into a clean AppError by its code alone.
 */
export async function sendOnce(request: OnceRequest): Promise<OnceResponse> {
  const { url, what, maxBodyBytes } = request;
  const exchange = request.pool.send(url, {
    method: request.method,
    headers: request.headers,
    body: request.body,
    timeouts: request.timeouts,
    signal: request.signal,
  });
  const res = await exchange.response;
  const base = { status: res.statusCode, url: url.href, headers: res.headers };
  if (!request.readBody(base.status)) {
    // A short unread body (a redirect's few lines) is read and dropped, so the connection goes back to the pool
    // for the next request: cutting it cost a new TCP connection per @@download hop. A long or unsized one is
    // cut off with its connection.
    // A drop while draining is the next hop's problem, not this answer's.
    if (drainable(res.headers))
      await readBody(res, DRAIN_MAX_BYTES, () => exchange.destroy(), url.host, what).catch(() => undefined);
    else exchange.destroy();
    return { ...base, body: Buffer.alloc(0) };
  }
  return { ...base, body: await readBody(res, maxBodyBytes, () => exchange.destroy(), url.host, what) };
}

/** The whole body, copied out of the receive slabs; a rejection when the connection drops or past `limit` bytes. */
async function readBody(
  res: StreamResponse,
  limit: number,
  destroy: () => void,
  host: string,
  what: string,
): Promise<Buffer> {
  const views: Buffer[] = [];
  let size = 0;
  try {
    for await (const view of res.body) {
      views.push(view);
      size += view.length;
      if (size > limit) {
        destroy();
        throw new AppError('bad-response', `${host} sent more than ${limit} bytes for ${what}.`);
      }
    }
    return Buffer.concat(views, size);
  } finally {
    res.release(views);
  }
}

/** Bodies at most this long, with a stated length, are read and dropped rather than cost their connection. */
const DRAIN_MAX_BYTES = 16 * 1024;

function drainable(headers: Headers): boolean {
  const length = Number(headers['content-length']);
  return Number.isInteger(length) && length >= 0 && length <= DRAIN_MAX_BYTES;
}
