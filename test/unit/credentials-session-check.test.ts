import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSessionCheck } from '../../src-main/core/auth/session-check.ts';
import { basicAuthorization } from '../../src-main/core/http/credentials.ts';

const KEY = { keyId: 'ABCDEFGH', secret: 'abcdefghijklmnop' };

/** A portal's /session-properties as PORTAL.md describes it, plus a few misbehaving paths. */
let server: Server;
let origin: string;
const seen: Array<{ url: string; headers: IncomingHttpHeaders }> = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push({ url: req.url ?? '', headers: req.headers });
    const host = req.headers.host ?? '';
    if (host.startsWith('127.0.0.1') && req.url === '/session-properties') {
      if (req.headers.authorization === basicAuthorization({ server: origin, ...KEY })) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ email: 'ada@example.org', first_name: 'Ada', details: {} }));
        return;
      }
      res.writeHead(401, {
        'content-type': 'application/json',
        'www-authenticate': `Bearer realm="${host}"; Basic realm="${host}"`,
      });
      res.end(JSON.stringify({ '@type': ['HTTPUnauthorized', 'Error'], status: 'error', code: 401 }));
      return;
    }
    // "localhost" plays other servers: one broken, one redirecting, one that never answers.
    if (req.url === '/session-properties' && host.startsWith('localhost')) {
      const mode = req.headers['user-agent'];
      if (mode === 'broken') res.writeHead(502).end('bad gateway');
      else if (mode === 'redirect') res.writeHead(302, { location: `${origin}/session-properties` }).end();
      else if (mode === 'nested')
        res.writeHead(200).end(JSON.stringify({ user: { email: 'bo@example.org' } }));
      else if (mode === 'html') res.writeHead(200, { 'content-type': 'text/html' }).end('<html></html>');
      // 'silent': no answer at all
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const other = () => origin.replace('127.0.0.1', 'localhost');

describe('createSessionCheck', () => {
  it('accepts a good key, sending Basic auth and asking for JSON', async () => {
    const check = createSessionCheck();
    expect(await check({ server: origin, ...KEY })).toEqual({ ok: true, email: 'ada@example.org' });
    const request = seen.at(-1);
    expect(request?.url).toBe('/session-properties');
    expect(request?.headers.authorization).toBe(
      `Basic ${Buffer.from('ABCDEFGH:abcdefghijklmnop').toString('base64')}`,
    );
    expect(request?.headers.accept).toBe('application/json');
  });

  it('reports a rejected key as auth-rejected without echoing the secret', async () => {
    const result = await createSessionCheck()({
      server: origin,
      keyId: KEY.keyId,
      secret: 'wrongsecretwrong',
    });
    expect(result).toMatchObject({ ok: false, code: 'auth-rejected' });
    expect(result.message).toMatch(/^Key rejected by 127\.0\.0\.1:\d+: check the key id and secret/);
    expect(JSON.stringify(result)).not.toContain('wrongsecretwrong');
  });

  it('reports an unreachable server as a network failure', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const result = await createSessionCheck()({ server: `http://127.0.0.1:${port}`, ...KEY });
    expect(result).toEqual({
      ok: false,
      code: 'network',
      message: `127.0.0.1:${port} refused the connection while fetching the key check (/session-properties).`,
    });
  });

  it('gives up on a server that never answers', async () => {
    const check = createSessionCheck({ timeoutMs: 300, userAgent: 'silent' });
    expect(await check({ server: other(), ...KEY })).toMatchObject({ ok: false, code: 'network' });
  });

  it('finds the email where other portal builds put it', async () => {
    const check = createSessionCheck({ userAgent: 'nested' });
    expect(await check({ server: other(), ...KEY })).toEqual({ ok: true, email: 'bo@example.org' });
  });

  it('does not follow a redirect, and names server errors and non-portal answers', async () => {
    const redirect = await createSessionCheck({ userAgent: 'redirect' })({ server: other(), ...KEY });
    expect(redirect).toMatchObject({ ok: false, code: 'bad-response' });
    expect(seen.filter((r) => r.headers['user-agent'] === 'redirect')).toHaveLength(1);
    expect(await createSessionCheck({ userAgent: 'broken' })({ server: other(), ...KEY })).toMatchObject({
      ok: false,
      code: 'server-error',
    });
    expect(await createSessionCheck({ userAgent: 'html' })({ server: other(), ...KEY })).toMatchObject({
      ok: false,
      code: 'bad-response',
      message: expect.stringContaining('something other than JSON'),
    });
  });
});
