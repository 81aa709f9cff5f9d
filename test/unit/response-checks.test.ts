import { describe, expect, it } from 'vitest';
import {
  checkResponse,
  parseContentRange,
  rangeHeaders,
} from '../../src-main/core/downloads/transfer/response-checks.ts';
import type { TransferRequest } from '../../src-main/core/downloads/transfer/transfer.ts';

const asked = (over: Partial<TransferRequest> = {}): TransferRequest => ({
  url: 'http://127.0.0.1:1/file',
  headers: {},
  start: 0,
  ranged: true,
  wholeOk: true,
  stallTimeoutMs: 1000,
  signal: new AbortController().signal,
  ...over,
});

const codeOf = (run: () => unknown): string | undefined => {
  try {
    run();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return undefined;
};

describe('rangeHeaders', () => {
  it('asks for nothing special for a whole file from byte 0', () => {
    expect(rangeHeaders(asked())).toEqual({});
    expect(rangeHeaders(asked({ start: 10, ranged: false }))).toEqual({});
  });

  it('asks an open range to the end, or a closed one for a segment (end exclusive)', () => {
    expect(rangeHeaders(asked({ start: 100 }))).toEqual({ range: 'bytes=100-' });
    expect(rangeHeaders(asked({ start: 0, end: 50 }))).toEqual({ range: 'bytes=0-49' });
  });

  it('sends If-Range with a strong ETag only', () => {
    expect(rangeHeaders(asked({ start: 5, ifRange: '"abc"' }))).toEqual({
      range: 'bytes=5-',
      'if-range': '"abc"',
    });
    expect(rangeHeaders(asked({ start: 5, ifRange: 'W/"abc"' }))).toEqual({ range: 'bytes=5-' });
  });
});

describe('parseContentRange', () => {
  it('reads first, last and total, or an unknown total', () => {
    expect(parseContentRange('bytes 0-99/1000')).toEqual({ first: 0, last: 99, total: 1000 });
    expect(parseContentRange('bytes 5-9/*')).toEqual({ first: 5, last: 9 });
  });

  it('refuses what is not a byte range', () => {
    expect(parseContentRange(undefined)).toBeUndefined();
    expect(parseContentRange('bytes 9-5/10')).toBeUndefined();
    expect(parseContentRange('items 0-1/2')).toBeUndefined();
  });
});

describe('checkResponse', () => {
  it('takes a 206 that starts where asked, with the file size from Content-Range', () => {
    const info = checkResponse(asked({ start: 100 }), 206, {
      'content-range': 'bytes 100-999/1000',
      etag: '"e"',
    });
    expect(info).toMatchObject({ status: 206, offset: 100, end: 1000, size: 1000, etag: '"e"' });
  });

  it('treats a 206 from the wrong byte, past the segment or of another size as ranges unsupported', () => {
    expect(
      codeOf(() => checkResponse(asked({ start: 100 }), 206, { 'content-range': 'bytes 0-999/1000' })),
    ).toBe('range-unsupported');
    expect(
      codeOf(() => checkResponse(asked({ start: 0, end: 10 }), 206, { 'content-range': 'bytes 0-10/1000' })),
    ).toBe('range-unsupported');
    expect(
      codeOf(() => checkResponse(asked({ start: 0, size: 500 }), 206, { 'content-range': 'bytes 0-9/1000' })),
    ).toBe('range-unsupported');
    expect(codeOf(() => checkResponse(asked({ start: 1 }), 206, {}))).toBe('range-unsupported');
  });

  it('takes a 200 from byte 0 for a single stream, but not for a segment', () => {
    expect(checkResponse(asked({ start: 100 }), 200, { 'content-length': '1000' })).toMatchObject({
      offset: 0,
      size: 1000,
    });
    expect(codeOf(() => checkResponse(asked({ start: 100, wholeOk: false }), 200, {}))).toBe(
      'range-unsupported',
    );
    expect(codeOf(() => checkResponse(asked({ start: 0, end: 10 }), 200, {}))).toBe('range-unsupported');
  });

  it('refuses a 200 of the wrong length and a 2xx that is not 200 or 206', () => {
    expect(codeOf(() => checkResponse(asked({ size: 10 }), 200, { 'content-length': '11' }))).toBe(
      'bad-response',
    );
    expect(codeOf(() => checkResponse(asked(), 204, {}))).toBe('bad-response');
  });
});
