import type { IncomingMessage } from 'node:http';
import { AppError } from '../../../src-shared/domain/errors.ts';
import type { ConnectionPool, Headers, Timeouts } from './connection-pool.ts';
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
 * in HttpClient and followRedirects). Rejects with node's error on network failure; the caller turns it into a
 * clean AppError by its code alone.
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
  const base = { status: res.statusCode ?? 0, url: url.href, headers: res.headers };
  if (!request.readBody(base.status)) {
    // A short unread body (a redirect's few lines) is drained so the connection goes back to the pool for the
    // next request: destroying it cost a new TCP connection per @@download hop. A long or unsized one is cut
    // off with its connection.
    if (drainable(res.headers)) res.resume();
    else exchange.destroy();
    return { ...base, body: Buffer.alloc(0) };
  }
  return { ...base, body: await readBody(res, maxBodyBytes, () => exchange.destroy(), `${url.host}`, what) };
}

/** The whole body, or a rejection: node's error when the connection drops, bad-response past `limit` bytes. */
function readBody(
  res: IncomingMessage,
  limit: number,
  destroy: () => void,
  host: string,
  what: string,
): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (action: () => void) => {
      if (settled) return;
      settled = true;
      action();
    };
    res.on('error', (error: unknown) => settle(() => reject(error)));
    res.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        destroy();
        settle(() =>
          reject(new AppError('bad-response', `${host} sent more than ${limit} bytes for ${what}.`)),
        );
        return;
      }
      chunks.push(chunk);
    });
    res.on('end', () => settle(() => resolve(Buffer.concat(chunks))));
    // A close without an end is a connection that dropped mid-body.
    res.on('close', () =>
      settle(() => reject(Object.assign(new Error('connection closed early'), { code: 'ECONNRESET' }))),
    );
  });
}

/** Bodies at most this long, with a stated length, are read and dropped rather than cost their connection. */
const DRAIN_MAX_BYTES = 16 * 1024;

function drainable(headers: Headers): boolean {
  const length = Number(headers['content-length']);
  return Number.isInteger(length) && length >= 0 && length <= DRAIN_MAX_BYTES;
}
