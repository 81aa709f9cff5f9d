import type { Headers } from './connection-pool.ts';

/*
 * The pure half of body-socket.ts: an HTTP/1.1 response head and chunked framing, read from bytes (RFC 9112).
 * No I/O, so each rule has a unit test (test/unit/http1-parse.test.ts).
 */

/** Longest response head accepted (node:http's default limit is 16 KiB; S3's heads are under 2 KiB). */
export const MAX_HEAD_BYTES = 64 * 1024;

export interface ResponseHead {
  status: number;
  headers: Headers;
  /** How the body ends: after `length` bytes, at the chunked terminator, or when the server closes. */
  framing: { kind: 'length'; length: number } | { kind: 'chunked' } | { kind: 'close' };
  /** The connection may carry another request once this body is read. */
  reusable: boolean;
}

export class ProtocolError extends Error {
  readonly code = 'HPE_INVALID';
}

// Headers whose repeats node:http drops (keeping the first); set-cookie becomes a list; others join with ", ".
const SINGLE = new Set([
  'age',
  'authorization',
  'content-length',
  'content-type',
  'etag',
  'expires',
  'from',
  'host',
  'if-modified-since',
  'if-unmodified-since',
  'last-modified',
  'location',
  'max-forwards',
  'proxy-authorization',
  'referer',
  'retry-after',
  'server',
  'user-agent',
  'content-range',
  'content-disposition',
]);

/** An HTTP token (RFC 9110): a header name, a method. */
export const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * A response head, its bytes as latin1 text without the blank line that ends it. `method` matters for bodies:
 * none after HEAD, 204 or 304.
 */
export function parseHead(text: string, method = 'GET'): ResponseHead {
  const lines = text.split('\r\n');
  const statusLine = /^HTTP\/1\.([01]) (\d{3})(?: .*)?$/.exec(lines[0] ?? '');
  if (!statusLine)
    throw new ProtocolError(`not an HTTP/1.x status line: ${JSON.stringify(lines[0]?.slice(0, 80))}`);
  const minor = Number(statusLine[1]);
  const status = Number(statusLine[2]);
  const headers: Headers = {};
  const lengths = new Set<string>();
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    const name = line.slice(0, colon).toLowerCase();
    if (colon <= 0 || !TOKEN.test(name)) throw new ProtocolError(`a header line that is not "name: value"`);
    const value = line.slice(colon + 1).trim();
    if (name === 'content-length') lengths.add(value);
    const before = headers[name];
    if (before === undefined) headers[name] = name === 'set-cookie' ? [value] : value;
    else if (Array.isArray(before)) before.push(value);
    else if (!SINGLE.has(name)) headers[name] = `${before}, ${value}`;
  }
  const connection = String(headers.connection ?? '').toLowerCase();
  const persistent = minor === 1 ? !/\bclose\b/.test(connection) : /\bkeep-alive\b/.test(connection);
  const noBody = method === 'HEAD' || status === 204 || status === 304 || status < 200;
  if (noBody) return { status, headers, framing: { kind: 'length', length: 0 }, reusable: persistent };
  const coding = headers['transfer-encoding'];
  if (coding !== undefined) {
    // Chunked last is the only coding we can frame; a length beside it is ignored (and the connection not kept).
    if (!/(?:^|,)\s*chunked\s*$/i.test(String(coding)))
      return { status, headers, framing: { kind: 'close' }, reusable: false };
    return { status, headers, framing: { kind: 'chunked' }, reusable: persistent && lengths.size === 0 };
  }
  if (lengths.size > 1) throw new ProtocolError('two different Content-Length headers');
  if (lengths.size === 1) {
    const length = Number(headers['content-length']);
    if (!/^\d+$/.test(String(headers['content-length'])) || !Number.isSafeInteger(length))
      throw new ProtocolError(`Content-Length "${headers['content-length']}" is not a length`);
    return { status, headers, framing: { kind: 'length', length }, reusable: persistent };
  }
  return { status, headers, framing: { kind: 'close' }, reusable: false };
}

/** Longest chunk-size line (with extensions) or trailer line accepted. */
const MAX_LINE = 4096;

/**
 * Chunked framing, undone in place: `feed` is given the bytes as they arrive and reports the data in them as
 * ranges of those same bytes (no copy), skipping sizes, extensions and trailers.
 */
export class ChunkedDecoder {
  private state: 'size' | 'data' | 'data-end' | 'trailer' | 'done' = 'size';
  private line = '';
  private left = 0;

  get done(): boolean {
    return this.state === 'done';
  }

  /**
   * Reads `bytes`; `data(offset, length)` for each run of body data in them. Returns where the framing ended
   * (the index after the last trailer line) once it has, else `bytes.length`.
   */
  feed(bytes: Uint8Array, data: (offset: number, length: number) => void): number {
    let at = 0;
    while (at < bytes.length && this.state !== 'done') {
      if (this.state === 'data') {
        const take = Math.min(this.left, bytes.length - at);
        data(at, take);
        at += take;
        this.left -= take;
        if (this.left === 0) this.state = 'data-end';
        continue;
      }
      const newline = bytes.indexOf(0x0a, at);
      const end = newline < 0 ? bytes.length : newline;
      this.line += Buffer.from(bytes.buffer, bytes.byteOffset + at, end - at).toString('latin1');
      if (this.line.length > MAX_LINE) throw new ProtocolError('a chunk line over 4 KiB');
      at = end;
      if (newline < 0) break;
      at++;
      const line = this.line.endsWith('\r') ? this.line.slice(0, -1) : this.line;
      this.line = '';
      this.endLine(line);
    }
    return this.state === 'done' ? at : bytes.length;
  }

  private endLine(line: string): void {
    if (this.state === 'data-end') {
      if (line !== '') throw new ProtocolError('chunk data longer than its size');
      this.state = 'size';
    } else if (this.state === 'size') {
      const size = /^([0-9a-fA-F]{1,12})[ \t]*(?:;.*)?$/.exec(line);
      if (!size?.[1])
        throw new ProtocolError(`a chunk size that is not hexadecimal: ${JSON.stringify(line.slice(0, 40))}`);
      this.left = Number.parseInt(size[1], 16);
      this.state = this.left === 0 ? 'trailer' : 'data';
    } else if (this.state === 'trailer' && line === '') {
      this.state = 'done';
    }
  }
}
