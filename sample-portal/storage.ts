import { createHash } from 'node:crypto';
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { streamBody } from './body-stream.ts';
import type { Catalog, StoredObject } from './catalog.ts';
import type { FaultBook } from './faults.ts';
import { pathSegments, requestId, retryAfterHeader, sendS3Error } from './http-util.ts';
import type { StorageStats } from './storage-stats.ts';
import { type ObjectPath, parseObjectPath, type StorageUrls } from './storage-urls.ts';
import type { StorageRequestLog } from './types.ts';

export interface StorageDeps {
  catalog: Catalog;
  faults: FaultBook;
  urls: StorageUrls;
  stats: StorageStats;
}

/** Objects at least this big were uploaded in parts: their ETag is `"<hex>-<parts>"`, not an md5. */
const MULTIPART_MIN = 16 * 1024 * 1024;
const PART_SIZE = 8 * 1024 * 1024;
const NOT_UPLOADED = new Set(['uploading', 'to be uploaded by workflow', 'upload failed']);

const STATUS_CODES: Record<number, [string, string]> = {
  429: ['SlowDown', 'Please reduce your request rate.'],
  500: ['InternalError', 'We encountered an internal error. Please try again.'],
  503: ['SlowDown', 'Please reduce your request rate.'],
};

/** The fake S3 origin: presigned and Open Data GETs, Range, If-Range, and the per-file faults. */
export async function handleStorage(
  req: IncomingMessage,
  res: ServerResponse,
  deps: StorageDeps,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://storage');
  const segments = pathSegments(url.pathname);
  const method = req.method ?? 'GET';
  const object = parseObjectPath(segments);
  const entry = deps.stats.begin({
    fileName: object?.fileName ?? segments.at(-1) ?? '',
    method,
    range: req.headers.range,
    hadAuthorization: req.headers.authorization !== undefined,
    target: req.url ?? '',
    headerText: req.rawHeaders.join('\n'),
  });
  const fail = (status: number, code: string, message: string, headers: OutgoingHttpHeaders = {}) => {
    entry.status = status;
    sendS3Error(res, status, code, message, headers);
  };
  const stored = object && deps.catalog.stored(object.fileName);
  if (!object || !stored || stored.record.sample.uuid !== object.uuid)
    return fail(404, 'NoSuchKey', 'The specified key does not exist.');
  if (entry.hadAuthorization) {
    return fail(
      400,
      'InvalidArgument',
      object.open
        ? 'Unsupported Authorization Type'
        : 'Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified',
    );
  }
  const refusal = checkAccess(method, object, stored, url.searchParams, deps);
  if (refusal) return fail(refusal[0], refusal[1], refusal[2]);
  if (NOT_UPLOADED.has(stored.record.sample.status))
    return fail(404, 'NoSuchKey', 'The specified key does not exist.');
  const accession = stored.record.sample.accession;
  const forced = method === 'GET' ? deps.faults.takeStatus(accession, 'storageStatus') : undefined;
  if (forced) {
    const [code, message] = STATUS_CODES[forced.status] ?? [
      'ServiceUnavailable',
      'Simulated storage failure.',
    ];
    return fail(forced.status, code, message, retryAfterHeader(forced.retryAfter));
  }
  await serveObject(req, res, stored, entry, deps);
}

function checkAccess(
  method: string,
  object: ObjectPath,
  stored: StoredObject,
  query: URLSearchParams,
  deps: StorageDeps,
): [number, string, string] | undefined {
  if (object.open) {
    if (method !== 'GET' && method !== 'HEAD')
      return [405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.'];
    if (!stored.record.sample.openData) return [403, 'AccessDenied', 'Access Denied'];
    return undefined;
  }
  switch (deps.urls.verify(method, object, query)) {
    case 'missing':
      return [
        403,
        'AccessDenied',
        'Query-string authentication requires the Signature, Expires and AWSAccessKeyId parameters',
      ];
    case 'bad-signature':
      return [
        403,
        'SignatureDoesNotMatch',
        'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
      ];
    case 'expired':
      return [403, 'AccessDenied', 'Request has expired'];
    default:
      return undefined;
  }
}

async function serveObject(
  req: IncomingMessage,
  res: ServerResponse,
  stored: StoredObject,
  entry: StorageRequestLog,
  deps: StorageDeps,
): Promise<void> {
  const { content, record } = stored;
  const faults = deps.faults.get(record.sample.accession);
  const size = content.size;
  const etag = etagOf(stored);
  const lastModified = new Date(Date.parse(record.dateCreated)).toUTCString();
  let range = parseRange(req.headers.range, size);
  const ifRange = req.headers['if-range'];
  if (range !== undefined && ifRange !== undefined && ifRange !== etag && ifRange !== lastModified)
    range = undefined;
  if (faults.ignoreRange) range = undefined;
  const headers: OutgoingHttpHeaders = {
    'x-amz-request-id': requestId(),
    'Last-Modified': lastModified,
    ETag: etag,
    'Accept-Ranges': 'bytes',
    'Content-Type': 'application/octet-stream',
    'Content-Disposition': `attachment; filename=${stored.fileName}`,
  };
  if (range === 'unsatisfiable') {
    entry.status = 416;
    sendS3Error(res, 416, 'InvalidRange', 'The requested range is not satisfiable', {
      'Content-Range': `bytes */${size}`,
    });
    return;
  }
  let start = 0;
  let end = size;
  if (range) {
    ({ start, end } = faults.wrongContentRange ? shifted(range, size) : range);
    headers['Content-Range'] = `bytes ${start}-${end - 1}/${size}`;
  }
  if (faults.gzipEncoding) headers['Content-Encoding'] = 'gzip';
  if (!faults.chunked) headers['Content-Length'] = end - start;
  const status = range ? 206 : 200;
  entry.status = status;
  res.writeHead(status, headers);
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  const accession = record.sample.accession;
  const length = end - start;
  const plan: Parameters<typeof streamBody>[1] = {
    content,
    start,
    end,
    onBytes: (count) => deps.stats.addBytes(entry, count),
  };
  const dropAfter = deps.faults.takeDrop(accession, length);
  if (dropAfter !== undefined) plan.dropAfter = dropAfter;
  const stall = deps.faults.takeStall(accession, length);
  if (stall) plan.stall = stall;
  const flipAt = deps.faults.takeFlip(accession, start, end);
  if (flipAt !== undefined) plan.flipAt = flipAt;
  if (faults.throughputBytesPerSec) plan.bytesPerSec = faults.throughputBytesPerSec;
  await streamBody(res, plan);
}

/** Quoted md5 for single-part objects; a stable multipart-style tag for big ones (as S3 gives). */
function etagOf(stored: StoredObject): string {
  const size = stored.content.size;
  if (size < MULTIPART_MIN) return `"${stored.content.md5Sync()}"`;
  const parts = Math.ceil(size / PART_SIZE);
  const tag = createHash('md5')
    .update(`multipart:${stored.record.sample.uuid}/${stored.fileName}`)
    .digest('hex');
  return `"${tag}-${parts}"`;
}

/** One byte range [start, end) from a Range header; undefined when absent or ignored (S3 ignores multi-range). */
export function parseRange(
  header: string | undefined,
  size: number,
): { start: number; end: number } | 'unsatisfiable' | undefined {
  if (!header) return undefined;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return undefined;
  const first = match[1] === '' ? undefined : Number(match[1]);
  const last = match[2] === '' ? undefined : Number(match[2]);
  if (first === undefined) {
    const suffix = last as number;
    if (suffix === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size };
  }
  if (last !== undefined && last < first) return undefined;
  if (first >= size) return 'unsatisfiable';
  return { start: first, end: last === undefined ? size : Math.min(last + 1, size) };
}

/** The wrongContentRange fault: a range that starts some bytes away from the one asked for. */
function shifted(range: { start: number; end: number }, size: number): { start: number; end: number } {
  const start = range.start + 7 < size ? range.start + 7 : Math.max(0, range.start - 7);
  const moved = start === range.start ? Math.min(range.start + 1, size - 1) : start;
  return { start: moved, end: Math.min(size, Math.max(range.end, moved + 1)) };
}
