import type { Headers } from '../../http/connection-pool.ts';
import type { TransferRequest } from './transfer.ts';
import { TransferError } from './transfer-error.ts';

/*
 * The pure half of a storage GET: the Range/If-Range headers asked with, and the judgement of the answer's
 * status, Content-Range and Content-Length against what was asked. No I/O, so each rule has a unit test.
 */

export interface ResponseInfo {
  status: number;
  /** File position of the body's first byte: the asked start, or 0 when the server ignored Range. */
  offset: number;
  /** One past the body's last byte, when the response says. */
  end: number | undefined;
  /** The whole file's size, when the response says. */
  size: number | undefined;
  etag: string | undefined;
  contentDisposition: string | undefined;
}

/** Range (and If-Range, strong ETags only) for a request that does not start at byte 0 or stops early. */
export function rangeHeaders(request: TransferRequest): Record<string, string> {
  if (!request.ranged || (request.start === 0 && request.end === undefined)) return {};
  const out: Record<string, string> = {
    range: `bytes=${request.start}-${request.end === undefined ? '' : request.end - 1}`,
  };
  if (request.ifRange && !request.ifRange.startsWith('W/')) out['if-range'] = request.ifRange;
  return out;
}

export function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

export function parseContentRange(
  value: string | undefined,
): { first: number; last: number; total?: number } | undefined {
  const match = /^bytes\s+(\d+)-(\d+)\/(\d+|\*)$/i.exec(value?.trim() ?? '');
  if (!match) return undefined;
  const first = Number(match[1]);
  const last = Number(match[2]);
  if (last < first) return undefined;
  return match[3] === '*' ? { first, last } : { first, last, total: Number(match[3]) };
}

/** Checks a 2xx against what was asked; a mismatch means ranges cannot be trusted on this server. */
export function checkResponse(request: TransferRequest, status: number, headers: Headers): ResponseInfo {
  const common = {
    status,
    etag: header(headers.etag),
    contentDisposition: header(headers['content-disposition']),
  };
  const lengthText = header(headers['content-length']);
  const length = lengthText === undefined ? undefined : Number(lengthText);
  if (status === 206) {
    const range = parseContentRange(header(headers['content-range']));
    const total = range?.total;
    if (
      !range ||
      range.first !== request.start ||
      (request.end !== undefined && range.last >= request.end) ||
      (total !== undefined && request.size !== undefined && total !== request.size)
    ) {
      throw new TransferError(
        'range-unsupported',
        `Storage answered a request for bytes from ${request.start} with Content-Range "${header(headers['content-range']) ?? 'none'}".`,
        { status },
      );
    }
    return { ...common, offset: request.start, end: range.last + 1, size: total ?? request.size };
  }
  if (status !== 200) {
    throw new TransferError('bad-response', `Storage answered HTTP ${status} with no file.`, { status });
  }
  const asked = request.start > 0 || request.end !== undefined;
  if (asked && (!request.wholeOk || request.end !== undefined)) {
    throw new TransferError('range-unsupported', 'Storage ignored the byte range asked for.', { status });
  }
  if (length !== undefined && request.size !== undefined && length !== request.size) {
    throw new TransferError(
      'bad-response',
      `Storage is sending ${length} bytes but the file should be ${request.size} bytes.`,
      { status },
    );
  }
  const size = length ?? request.size;
  return { ...common, offset: 0, end: size, size };
}
