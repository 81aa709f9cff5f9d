import got, { type Delays } from 'got';
import { AppError } from '../../../src-shared/domain/errors.ts';

export type Headers = Record<string, string | string[] | undefined>;

export interface OnceRequest {
  url: URL;
  method: 'GET' | 'POST' | 'OPTIONS';
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
 * One HTTP exchange through got, with no redirects, no retries, no decompression and no thrown HTTP statuses:
 * policy lives in HttpClient. Rejects with got's error on network failure (the caller turns it into a clean
 * AppError: got's errors carry the request options, headers included).
 */
export function sendOnce(request: OnceRequest): Promise<OnceResponse> {
  const { url, what, maxBodyBytes } = request;
  return new Promise<OnceResponse>((resolve, reject) => {
    const stream = got.stream(url.href, {
      method: request.method,
      headers: request.headers,
      ...(request.body === undefined ? {} : { body: request.body }),
      followRedirect: false,
      decompress: false,
      throwHttpErrors: false,
      retry: { limit: 0 },
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
        // A short unread body (a redirect's few lines) is drained so the connection goes back to the pool for
        // the next request: destroying it cost a new TCP connection per @@download hop. A long or unsized one
        // is cut off with its connection, as before.
        if (drainable(res.headers)) stream.resume();
        else stream.destroy();
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

/** Bodies at most this long, with a stated length, are read and dropped rather than cost their connection. */
const DRAIN_MAX_BYTES = 16 * 1024;

function drainable(headers: Headers): boolean {
  const length = Number(headers['content-length']);
  return Number.isInteger(length) && length >= 0 && length <= DRAIN_MAX_BYTES;
}
