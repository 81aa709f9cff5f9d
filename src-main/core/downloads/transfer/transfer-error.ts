import { AppError, type ErrorCode } from '../../../../src-shared/domain/errors.ts';
import { parseRetryAfter } from '../../http/retry.ts';

/** A failed transfer: the typed code, plus what the retry loop needs (HTTP status, the server's Retry-After). */
export class TransferError extends AppError {
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;
  constructor(
    code: ErrorCode,
    message: string,
    options: { status?: number; retryAfterMs?: number; cause?: unknown } = {},
  ) {
    super(code, message, { cause: options.cause });
    this.name = 'TransferError';
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** A short reason from an error body: S3 XML <Code>/<Message>, the portal's JSON title/description, GA4GH msg. */
export function describeErrorBody(body: string): string | undefined {
  const code = /<Code>([^<]{1,100})<\/Code>/.exec(body)?.[1];
  const message = /<Message>([^<]{1,200})<\/Message>/.exec(body)?.[1];
  if (code || message) return [code, message].filter(Boolean).join(': ');
  try {
    const json = JSON.parse(body) as Record<string, unknown>;
    const parts = [json.title, json.description, json.msg].filter((v) => typeof v === 'string');
    if (parts.length > 0) return (parts as string[]).join(': ').slice(0, 300);
  } catch {
    /* not JSON */
  }
  return undefined;
}

/** Maps a storage answer that is not a success to a typed error. */
export function storageError(status: number, body: string, retryAfter: string | undefined): TransferError {
  const reason = describeErrorBody(body);
  const said = reason ? ` (${reason})` : '';
  const retryAfterMs = parseRetryAfter(retryAfter);
  if (status === 403 && /expired/i.test(body)) {
    return new TransferError('url-expired', `The download link expired${said}.`, { status });
  }
  if (status === 401 || status === 403) {
    return new TransferError('forbidden', `Storage refused the download link: HTTP ${status}${said}.`, {
      status,
    });
  }
  if (status === 404 || status === 410) {
    return new TransferError(
      'not-found',
      `Storage has no file at the download link: HTTP ${status}${said}.`,
      {
        status,
      },
    );
  }
  if (status === 416) {
    return new TransferError('range-unsupported', `Storage could not serve the requested byte range (416).`, {
      status,
    });
  }
  if (status === 408 || status === 429 || status >= 500) {
    const what = status === 429 ? 'Storage is rate limiting' : 'Storage is unavailable';
    return new TransferError('server-error', `${what}: HTTP ${status}${said}.`, {
      status,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    });
  }
  return new TransferError('bad-response', `Storage answered HTTP ${status}${said}.`, { status });
}
