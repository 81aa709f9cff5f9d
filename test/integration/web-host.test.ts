import { symlink } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../src-main/core/auth/memory-store.ts';
import { createServices, type Services } from '../../src-main/core/services.ts';
import { startWebHost, type WebHost } from '../../src-main/web/host.ts';
import { CONTENT_SECURITY_POLICY } from '../../src-main/web/security.ts';
import {
  INDEX_HTML,
  makeScratch,
  openSocket,
  rawRequest,
  upgradeStatus,
  WireClient,
} from '../support/web-host.ts';

let scratch: Awaited<ReturnType<typeof makeScratch>>;
let services: Services;
let host: WebHost;

beforeAll(async () => {
  scratch = await makeScratch();
  await symlink(join(scratch.root, 'secret.txt'), join(scratch.rendererDir, 'link.txt'));
  services = await createServices({
    dataDir: scratch.dataDir,
    host: 'web',
    version: '9.9.9',
    credentialStore: createMemoryStore(),
  });
  host = await startWebHost({
    router: services.router,
    events: services.events,
    rendererDir: scratch.rendererDir,
    port: 0,
    maxFrameBytes: 4 * 1024 * 1024,
  });
});

afterAll(async () => {
  await host?.close();
  await services?.close();
  await scratch?.cleanup();
});

async function client(): Promise<WireClient> {
  return new WireClient(await openSocket({ port: host.port, token: host.token }));
}

describe('web host: static files', () => {
  it('serves index.html for / with the strict CSP and no caching', async () => {
    const res = await rawRequest(host.port, '/');
    expect(res.status).toBe(200);
    expect(res.body).toBe(INDEX_HTML);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(CONTENT_SECURITY_POLICY).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self' data:; " +
        "connect-src 'self' ws://127.0.0.1:*; object-src 'none'; base-uri 'none'; form-action 'none'; " +
        "frame-src 'none'; worker-src 'self'; manifest-src 'self'; frame-ancestors 'none'",
    );
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('serves assets with their content types, and HEAD without a body', async () => {
    const js = await rawRequest(host.port, '/assets/app-1234.js?v=1');
    expect(js.status).toBe(200);
    expect(js.body).toBe('console.log("app");\n');
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    const css = await rawRequest(host.port, '/assets/app-1234.css', { method: 'HEAD' });
    expect(css.status).toBe(200);
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(css.headers['content-length']).toBe('7');
    expect(css.body).toBe('');
  });

  it.each([
    '/../secret.txt',
    '/%2e%2e/secret.txt',
    '/%2E%2E%2Fsecret.txt',
    '/assets/..%2f..%2fsecret.txt',
    '/assets/..%5c..%5csecret.txt',
    '/..%252fsecret.txt',
    '/link.txt',
    '/index.html%00.js',
    '/%E0%A4%A',
  ])('refuses %s', async (path) => {
    const res = await rawRequest(host.port, path);
    expect(res.status).toBe(404);
    expect(res.body).not.toContain('outside the renderer');
  });

  it('lists no folders and serves no hidden files', async () => {
    expect((await rawRequest(host.port, '/assets/')).status).toBe(404);
    expect((await rawRequest(host.port, '/assets')).status).toBe(404);
    expect((await rawRequest(host.port, '/.env')).status).toBe(404);
  });

  it('answers only GET and HEAD, and only origin-form targets', async () => {
    const post = await rawRequest(host.port, '/', { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET, HEAD');
    expect((await rawRequest(host.port, 'http://127.0.0.1/secret.txt')).status).toBe(400);
  });

  it('refuses a Host that is not our loopback name and port (DNS rebinding)', async () => {
    for (const badHost of [
      'evil.example',
      `evil.example:${host.port}`,
      `127.0.0.1:${host.port + 1}`,
      '127.0.0.1',
    ]) {
      const res = await rawRequest(host.port, '/', { host: badHost });
      expect(res.status, badHost).toBe(421);
      expect(res.body).not.toContain('4DN test page');
    }
    // Node itself answers 400 to an HTTP/1.1 request without Host; either way nothing is served.
    const noHost = await rawRequest(host.port, '/', { host: null });
    expect([400, 421]).toContain(noHost.status);
    expect(noHost.body).not.toContain('4DN test page');
    expect((await rawRequest(host.port, '/', { host: `LOCALHOST:${host.port}` })).status).toBe(200);
  });
});

describe('web host: socket admission', () => {
  const own = () => `http://127.0.0.1:${host.port}`;

  it('accepts the right token from our own origin, by either loopback name', async () => {
    expect(await upgradeStatus({ port: host.port, token: host.token })).toBe(101);
    expect(
      await upgradeStatus({
        port: host.port,
        token: host.token,
        host: `localhost:${host.port}`,
        origin: `http://localhost:${host.port}`,
      }),
    ).toBe(101);
  });

  it('refuses a missing or wrong token', async () => {
    expect(await upgradeStatus({ port: host.port, token: null })).toBe(403);
    expect(await upgradeStatus({ port: host.port, token: '' })).toBe(403);
    expect(await upgradeStatus({ port: host.port, token: `${host.token}x` })).toBe(403);
    expect(await upgradeStatus({ port: host.port, token: host.token.slice(0, -1) })).toBe(403);
  });

  it('refuses a foreign, missing or mismatched Origin even with the token', async () => {
    for (const origin of [
      'http://evil.example',
      `https://127.0.0.1:${host.port}`,
      'null',
      `http://localhost:${host.port}`,
    ]) {
      expect(await upgradeStatus({ port: host.port, token: host.token, origin }), origin).toBe(403);
    }
    expect(await upgradeStatus({ port: host.port, token: host.token, origin: null })).toBe(403);
    expect(await upgradeStatus({ port: host.port, token: host.token, origin: own() })).toBe(101);
  });

  it('refuses a wrong Host or path on the upgrade', async () => {
    expect(await upgradeStatus({ port: host.port, token: host.token, host: 'evil.example' })).toBe(421);
    expect(await upgradeStatus({ port: host.port, token: host.token, path: '/' })).toBe(404);
  });

  it('listens on 127.0.0.1 only', async () => {
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/?token=${host.token}`);
    expect(host.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    await expect(canConnect('127.0.0.1', host.port)).resolves.toBe(true);
    // All of 127/8 is loopback on Linux: a host bound to 0.0.0.0 would answer on 127.0.0.2 too.
    if (process.platform === 'linux') await expect(canConnect('127.0.0.2', host.port)).resolves.toBe(false);
    await expect(canConnect('::1', host.port)).resolves.toBe(false);
  });
});

describe('web host: the wire protocol', () => {
  it('round-trips app:info through the real router', async () => {
    const wire = await client();
    const result = await wire.invoke('app:info', {});
    expect(result).toMatchObject({
      ok: true,
      value: { host: 'web', version: '9.9.9', dataDir: scratch.dataDir },
    });
    wire.socket.close();
  });

  it('answers an unknown channel and invalid input with bad-input', async () => {
    const wire = await client();
    const unknown = await wire.invoke('fs:read', { path: '/etc/passwd' });
    expect(unknown).toEqual({ ok: false, error: { code: 'bad-input', message: 'Unknown channel: fs:read' } });
    const invalid = await wire.invoke('ids:parse', { text: 42 });
    expect(invalid).toMatchObject({ ok: false, error: { code: 'bad-input' } });
    expect(invalid.ok || invalid.error.message).toContain('ids:parse');
    wire.socket.close();
  });

  it('answers a malformed invoke that has an id with bad-input and keeps the socket', async () => {
    const wire = await client();
    wire.sendRaw(JSON.stringify({ type: 'call', id: 7, channel: 'app:info' }));
    const frame = await wire.waitFor((f) => f.type === 'result' && f.id === 7);
    expect(frame.result).toMatchObject({ ok: false, error: { code: 'bad-input' } });
    expect(await wire.invoke('app:info', {})).toMatchObject({ ok: true });
    wire.socket.close();
  });

  it.each([
    ['not JSON', '{"type": "invoke", id: 1'],
    ['JSON without an id', '{"type": "invoke", "channel": "app:info"}'],
    ['JSON null', 'null'],
  ])('closes the socket with 1008 on %s, and the host carries on', async (_label, data) => {
    const wire = await client();
    wire.sendRaw(data);
    expect((await wire.closed).code).toBe(1008);
    const next = await client();
    expect(await next.invoke('app:info', {})).toMatchObject({ ok: true });
    next.socket.close();
  });

  it('closes the socket with 1008 on a binary frame', async () => {
    const wire = await client();
    wire.sendRaw(
      Buffer.from(JSON.stringify({ type: 'invoke', id: 1, channel: 'app:info', input: {} })),
      true,
    );
    expect((await wire.closed).code).toBe(1008);
  });

  it('takes a large frame under the limit and closes on one over it (1009)', async () => {
    const wire = await client();
    const big = await wire.invoke('ids:parse', { text: '4DNFIXXXXXXX\n'.repeat(200_000) });
    expect(big).toMatchObject({ ok: true });
    wire.sendRaw(
      JSON.stringify({
        type: 'invoke',
        id: 99,
        channel: 'ids:parse',
        input: { text: 'x'.repeat(5 * 1024 * 1024) },
      }),
    );
    expect((await wire.closed).code).toBe(1009);
    const next = await client();
    expect(await next.invoke('app:info', {})).toMatchObject({ ok: true });
    next.socket.close();
  });

  it('pushes core events to every connected client', async () => {
    const [a, b] = [await client(), await client()];
    await a.invoke('app:info', {});
    await b.invoke('app:info', {});
    services.events.emit('queue:batch-done', { done: 3, failed: 1 });
    for (const wire of [a, b]) {
      const frame = await wire.waitFor((f) => f.type === 'event');
      expect(frame).toEqual({ type: 'event', name: 'queue:batch-done', payload: { done: 3, failed: 1 } });
    }
    a.socket.close();
    b.socket.close();
  });

  it('pushes settings:changed when a client changes a setting', async () => {
    const [writer, watcher] = [await client(), await client()];
    const set = await writer.invoke('settings:set', { concurrency: 2 });
    expect(set).toMatchObject({ ok: true });
    const frame = await watcher.waitFor((f) => f.type === 'event' && f.name === 'settings:changed');
    expect(frame.payload).toMatchObject({ concurrency: 2 });
    writer.socket.close();
    watcher.socket.close();
  });
});

function canConnect(address: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: address, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
