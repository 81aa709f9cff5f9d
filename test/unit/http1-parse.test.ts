import { describe, expect, it } from 'vitest';
import { ChunkedDecoder, parseHead } from '../../src-main/core/http/http1-parse.ts';

const head = (...lines: string[]) => lines.join('\r\n');

describe('parseHead', () => {
  it('reads the status, lower-cases names, and frames the body by Content-Length', () => {
    const parsed = parseHead(head('HTTP/1.1 206 Partial Content', 'Content-Length: 10', 'ETag: "abc"'));
    expect(parsed.status).toBe(206);
    expect(parsed.headers).toEqual({ 'content-length': '10', etag: '"abc"' });
    expect(parsed.framing).toEqual({ kind: 'length', length: 10 });
    expect(parsed.reusable).toBe(true);
  });

  it('joins repeated headers as node:http does: first one wins for single ones, set-cookie is a list', () => {
    const parsed = parseHead(
      head(
        'HTTP/1.1 200 OK',
        'Vary: a',
        'vary: b',
        'Location: /x',
        'Location: /y',
        'Set-Cookie: a=1',
        'Set-Cookie: b=2',
        'Content-Length: 0',
      ),
    );
    expect(parsed.headers.vary).toBe('a, b');
    expect(parsed.headers.location).toBe('/x');
    expect(parsed.headers['set-cookie']).toEqual(['a=1', 'b=2']);
  });

  it('prefers chunked framing over a length, and then does not keep the connection', () => {
    const parsed = parseHead(head('HTTP/1.1 200 OK', 'Transfer-Encoding: chunked', 'Content-Length: 5'));
    expect(parsed.framing).toEqual({ kind: 'chunked' });
    expect(parsed.reusable).toBe(false);
    expect(parseHead(head('HTTP/1.1 200 OK', 'Transfer-Encoding: gzip, chunked')).reusable).toBe(true);
  });

  it('reads to the close a body with neither, or with a coding it cannot frame', () => {
    expect(parseHead(head('HTTP/1.1 200 OK')).framing).toEqual({ kind: 'close' });
    expect(parseHead(head('HTTP/1.1 200 OK', 'Transfer-Encoding: gzip')).framing).toEqual({ kind: 'close' });
    expect(parseHead(head('HTTP/1.1 200 OK')).reusable).toBe(false);
  });

  it('has no body for 204, 304 and after HEAD', () => {
    expect(parseHead(head('HTTP/1.1 204 No Content')).framing).toEqual({ kind: 'length', length: 0 });
    expect(parseHead(head('HTTP/1.1 304 Not Modified', 'Content-Length: 99')).framing).toEqual({
      kind: 'length',
      length: 0,
    });
    expect(parseHead(head('HTTP/1.1 200 OK', 'Content-Length: 99'), 'HEAD').framing).toEqual({
      kind: 'length',
      length: 0,
    });
  });

  it('keeps HTTP/1.0 connections only when asked, and HTTP/1.1 ones unless told to close', () => {
    expect(parseHead(head('HTTP/1.0 200 OK', 'Content-Length: 1')).reusable).toBe(false);
    expect(parseHead(head('HTTP/1.0 200 OK', 'Connection: keep-alive', 'Content-Length: 1')).reusable).toBe(
      true,
    );
    expect(parseHead(head('HTTP/1.1 200 OK', 'Connection: close', 'Content-Length: 1')).reusable).toBe(false);
  });

  it('refuses what it cannot trust: another protocol, a bad header line, two lengths, a length that is not one', () => {
    expect(() => parseHead('SSH-2.0-OpenSSH_9.2')).toThrow(/not an HTTP\/1.x status line/);
    expect(() => parseHead(head('HTTP/1.1 200 OK', 'no colon here'))).toThrow(/name: value/);
    expect(() => parseHead(head('HTTP/1.1 200 OK', 'Content-Length: 5', 'Content-Length: 6'))).toThrow(
      /two different/,
    );
    expect(() => parseHead(head('HTTP/1.1 200 OK', 'Content-Length: -5'))).toThrow(/not a length/);
    expect(() => parseHead(head('HTTP/1.1 200 OK', 'Content-Length: 5, 5'))).toThrow(/not a length/);
  });
});

/** Feeds `wire` to a decoder in pieces of `step` bytes; the data it found, and where the framing ended. */
function decode(wire: string, step: number) {
  const decoder = new ChunkedDecoder();
  const bytes = Buffer.from(wire, 'latin1');
  let data = '';
  let endedAt: number | undefined;
  for (let at = 0; at < bytes.length && endedAt === undefined; at += step) {
    const piece = bytes.subarray(at, at + step);
    const used = decoder.feed(piece, (offset, length) => {
      data += piece.toString('latin1', offset, offset + length);
    });
    if (decoder.done) endedAt = at + used;
  }
  return { data, endedAt, done: decoder.done };
}

describe('ChunkedDecoder', () => {
  const wire = '5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\nX-Trailer: t\r\n\r\nNEXT';

  it('gives the data in place and says where the framing ended, however the bytes are split', () => {
    for (const step of [1, 2, 3, 5, 7, 11, wire.length]) {
      expect(decode(wire, step)).toEqual({ data: 'hello, world', endedAt: wire.length - 4, done: true });
    }
  });

  it('is not done before the last chunk and its blank line', () => {
    expect(decode('5\r\nhello\r\n0\r\n', 3).done).toBe(false);
  });

  it('refuses a size that is not hexadecimal and data longer than its size', () => {
    expect(() => decode('zz\r\n', 64)).toThrow(/not hexadecimal/);
    expect(() => decode('2\r\nhello\r\n0\r\n\r\n', 64)).toThrow(/longer than its size/);
  });
});
