import { describe, expect, it } from 'vitest';
import {
  authorizationFor,
  basicAuthorization,
  redactSecret,
  sameOrigin,
} from '../../src-main/core/http/credentials.ts';
import { errorForNetwork, errorForResponse, parseErrorBody } from '../../src-main/core/http/errors.ts';
import {
  DEFAULT_RETRY,
  isRetryableStatus,
  parseRetryAfter,
  retryDelay,
} from '../../src-main/core/http/retry.ts';

const credentials = { server: 'http://127.0.0.1:8000', keyId: 'ABCDEFGH', secret: 'abcdefghijklmnop' };

describe('credential scope', () => {
  it('sends Basic auth to the credentials origin only (scheme, host and port)', () => {
    expect(authorizationFor('http://127.0.0.1:8000/ga4gh/drs/v1/objects/X', credentials)).toBe(
      basicAuthorization(credentials),
    );
    expect(authorizationFor('http://127.0.0.1:8001/bucket/X', credentials)).toBeUndefined();
    expect(authorizationFor('https://127.0.0.1:8000/', credentials)).toBeUndefined();
    expect(authorizationFor('http://localhost:8000/', credentials)).toBeUndefined();
    expect(authorizationFor('http://127.0.0.1:8000/', undefined)).toBeUndefined();
    expect(sameOrigin('https://a.org:443/x', 'https://a.org')).toBe(true);
  });

  it('redacts the secret and its Basic token', () => {
    const token = basicAuthorization(credentials).slice(6);
    expect(redactSecret(`x ${credentials.secret} y ${token}`, credentials)).toBe('x [redacted] y [redacted]');
  });
});

describe('retry rules', () => {
  it('retries 5xx (not 501), 408 and 429', () => {
    expect([500, 502, 503, 504, 408, 429].every(isRetryableStatus)).toBe(true);
    expect([400, 401, 403, 404, 501, 505].some(isRetryableStatus)).toBe(false);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('1', now)).toBe(1000);
    expect(parseRetryAfter(' 1.5 ', now)).toBe(1500);
    expect(parseRetryAfter(['7'], now)).toBe(7000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Wed, 31 Dec 2025 00:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });

  it('backs off exponentially with jitter, capped, and honours Retry-After up to the cap', () => {
    const policy = { ...DEFAULT_RETRY, baseDelayMs: 100, maxDelayMs: 1000, maxRetryAfterMs: 60_000 };
    expect(retryDelay(1, policy, undefined, () => 0)).toBe(50);
    expect(retryDelay(1, policy, undefined, () => 1)).toBe(100);
    expect(retryDelay(3, policy, undefined, () => 1)).toBe(400);
    expect(retryDelay(10, policy, undefined, () => 1)).toBe(1000);
    expect(retryDelay(1, policy, 2000, () => 0)).toBe(2000);
    expect(retryDelay(1, policy, 3_600_000, () => 0)).toBe(60_000);
  });
});

const portalBody = (code: number, title: string, description: string, detail?: string) =>
  Buffer.from(
    JSON.stringify({ '@type': ['HTTPError', 'Error'], status: 'error', code, title, description, detail }),
  );
const response = (status: number, body: Buffer | string, authSent = true) => ({
  status,
  url: 'https://data.4dnucleome.org/files-processed/4DNFIIA7E3HL/@@download?X-Amz-Signature=zzz',
  body: Buffer.from(body),
  authSent,
  attempts: 5,
});

describe('errorForResponse', () => {
  it('reads both error shapes', () => {
    expect(parseErrorBody(portalBody(404, 'Not Found', 'The resource could not be found.'))).toEqual({
      title: 'Not Found',
      description: 'The resource could not be found.',
    });
    expect(parseErrorBody('{"msg": "Object not found", "status_code": 404}')).toEqual({
      msg: 'Object not found',
    });
    expect(parseErrorBody('<html>')).toBeUndefined();
  });

  it('maps statuses to codes with messages a person can act on, naming the host and never the URL', () => {
    const cases: Array<[ReturnType<typeof response>, string, RegExp]> = [
      [
        response(401, portalBody(401, 'Unauthorized', 'bad key')),
        'auth-rejected',
        /^Key rejected by data\.4dnucleome\.org: update it in Accounts or with `4dn-dl keys add`\.$/,
      ],
      [response(401, '', false), 'auth-missing', /needs an access key.*4dn-dl keys add.*--keypairs/],
      [
        response(403, portalBody(403, 'Not logged in.', 'Forbidden'), false),
        'auth-missing',
        /data\.4dnucleome\.org needs an access key/,
      ],
      [
        response(403, portalBody(403, 'Forbidden', 'This file is restricted.')),
        'restricted',
        /restricted on data\.4dnucleome\.org/,
      ],
      [response(403, portalBody(403, 'Forbidden', 'No.')), 'forbidden', /refused access/],
      [
        response(404, '{"msg": "No such object", "status_code": 404}'),
        'not-found',
        /was not found on data\.4dnucleome\.org \(No such object\)/,
      ],
      [response(503, ''), 'server-error', /answered 503 .*after 5 tries.*try again later/],
      [response(429, ''), 'server-error', /rate-limiting/],
      [
        response(400, portalBody(400, 'Bad Request', 'Invalid type: Nope')),
        'bad-input',
        /Invalid type: Nope/,
      ],
      [response(418, ''), 'bad-response', /Unexpected answer 418/],
    ];
    for (const [res, code, message] of cases) {
      const error = errorForResponse(res, 'the file');
      expect(error.code, `status ${res.status}`).toBe(code);
      expect(error.message).toMatch(message);
      expect(error.message).not.toMatch(/Signature|zzz|@@download/);
    }
  });

  it('opens a sentence with a capital when the thing asked for leads it', () => {
    const notFound = errorForResponse(response(404, '{"msg": "No such object"}'), 'item 4DNFIAAAAAAA');
    expect(notFound.message).toBe('Item 4DNFIAAAAAAA was not found on data.4dnucleome.org (No such object).');
    const restricted = errorForResponse(
      response(403, portalBody(403, 'Forbidden', 'This file is restricted.')),
      'item 4DNFIAAAAAAA',
    );
    expect(restricted.message).toMatch(/^Item 4DNFIAAAAAAA is restricted on data\.4dnucleome\.org/);
  });

  it('describes network failures by their code only', () => {
    const error = errorForNetwork('ECONNREFUSED', 'http://127.0.0.1:9/x?sig=secret', 'DRS object X', 3);
    expect(error.code).toBe('network');
    expect(error.message).toBe(
      '127.0.0.1:9 refused the connection while fetching DRS object X after 3 tries.',
    );
  });
});
