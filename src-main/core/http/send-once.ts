import type { Delays } from 'got';
import { AppError } from '../../../src-shared/domain/errors.ts';
import type { ConnectionPool, Headers } from './connection-pool.ts';
import type { Method } from './redirects.ts';

export type { Headers } from './connection-pool.ts';

export interface OnceRequest {
  pool: ConnectionPool;
  url: URL;
  method: Method;
  /** Final headers: the caller has already decided on Authorization. */
  headers: Record<string, string>;
  body: string | undefined;
  timeouts: Delays;
  /** Whether to read this status's body; unread bodies are discarded with the connection. */
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
 * One buffered HTTP exchange through the pool's got (no redirects, retries, decompression or thrown statuses:
 * policy lives in HttpClient and followRedirects). Rejects with got's error on network failure (the caller turns it into a clean
 * AppError: got's errors carry the request options, headers included).
 */
export function sendOnce(request: OnceRequest): Promise<OnceResponse> {
  const { url, what, maxBodyBytes } = request;
  return new Promise<OnceResponse>((resolve, reject) => {
    const stream = request.pool.got.stream(url.href, {
      method: request.method,
      headers: request.headers,
      ...(request.body === undefined ? {} : { body: request.body }),
      timeout: request.timeouts,
      ...(request.signal ? { signal: request.signal } : {}),
    });
    let settled = false;
    const settle = (action: () => void) => {
      if (settled) return;
      settled = true;
      action();
    };
    stream.on('error', (error: unknown) => settle(() => reject(error)));
    stream.once('response', (res: { statusCode: number; headers: Headers }) => {
      const base = { status: res.statusCode, url: url.href, headers: res.headers };
      if (!request.readBody(res.statusCode)) {
        stream.destroy();
        settle(() => resolve({ ...base, body: Buffer.alloc(0) }));
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBodyBytes) {
          stream.destroy();
          const error = new AppError(
            'bad-response',
            `${url.host} sent more than ${maxBodyBytes} bytes for ${what}.`,
          );
          settle(() => reject(error));
          return;
        }
        chunks.push(chunk);
      });
      stream.on('end', () => settle(() => resolve({ ...base, body: Buffer.concat(chunks) })));
    });
  });
}
