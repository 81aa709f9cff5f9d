import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { createConnectionPool } from '../../src-main/core/http/connection-pool.ts';
import { HttpClient } from '../../src-main/core/http/http-client.ts';
import { fetchStorage } from '../support/fetch-storage.ts';

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers) server.closeAllConnections();
  await Promise.all(servers.splice(0).map((s) => new Promise((done) => s.close(done))));
});

/** A server on loopback that counts the connections it was opened with. */
async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void) {
  const server = createServer(handler);
  const state = { connections: 0, base: '' };
  server.on('connection', () => {
    state.connections++;
  });
  servers.push(server);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  state.base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return state;
}

const client = (options: ConstructorParameters<typeof HttpClient>[0] = {}) =>
  new HttpClient({ retry: { attempts: 1 }, ...options });

describe('the connection pool under HttpClient', () => {
  it('keeps connections alive: ten requests in a row go over one socket', async () => {
    const server = await serve((_req, res) => res.end('{"ok":true}'));
    const http = client();
    for (let i = 0; i < 10; i++) expect((await http.json(`${server.base}/x`)).data).toEqual({ ok: true });
    expect(server.connections).toBe(1);
  });

  it('times out a server that never answers, as a network failure a person can read', async () => {
    const server = await serve(() => undefined);
    const error = await client({ timeouts: { response: 200 } })
      .request(`${server.base}/silent`, { what: 'the probe' })
      .catch((e: unknown) => e as Error & { code?: string });
    expect(error).toMatchObject({
      code: 'network',
      message: `${new URL(server.base).host} timed out while fetching the probe.`,
    });
  });

  it('bounds the whole exchange with the request timeout (the key check uses it)', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-length': '100' });
      res.write('{"partial":');
    });
    const error = await client({ timeouts: { request: 300 } })
      .request(`${server.base}/slow-body`, { what: 'the session' })
      .catch((e: unknown) => e as Error & { code?: string });
    expect(error).toMatchObject({
      code: 'network',
      message: expect.stringMatching(/timed out while fetching the session/),
    });
  });

  it('reports a body cut short as a dropped connection, and the caller header case does not matter', async () => {
    const agents: string[] = [];
    const server = await serve((req, res) => {
      agents.push(String(req.headers['user-agent']));
      res.writeHead(200, { 'content-length': '1000' });
      res.write('only a little');
      res.socket?.destroy();
    });
    const error = await client()
      .request(`${server.base}/cut`, { headers: { 'User-Agent': 'probe/1' }, what: 'the item' })
      .catch((e: unknown) => e as Error & { code?: string });
    expect(error).toMatchObject({
      code: 'network',
      message: expect.stringMatching(/the connection while fetching the item\.$/),
    });
    expect(agents).toEqual(['probe/1']);
  });
});

describe('the connection pool under storage transfers', () => {
  it('reuses one socket for consecutive GETs of a file', async () => {
    const server = await serve((_req, res) => res.end('0123456789'));
    const pool = createConnectionPool();
    onTestFinished(() => pool.close());
    for (let i = 0; i < 3; i++) {
      const { error, received, bytes } = await fetchStorage(pool, `${server.base}/file.bin`);
      expect([error, received, bytes]).toEqual([undefined, 10, '0123456789']);
    }
    expect(server.connections).toBe(1);
  });
});

describe('a request node refuses to send', () => {
  it('fails as a clean network error, not a throw from inside the client', async () => {
    const server = await serve((_req, res) => res.end('{}'));
    const error = await client()
      .request(`${server.base}/x`, { headers: { 'x-bad': 'line\nbreak' }, what: 'the probe' })
      .catch((e: unknown) => e as Error & { code?: string });
    expect(error).toMatchObject({
      code: 'network',
      message: expect.stringMatching(/while fetching the probe\.$/),
    });
    expect(server.connections).toBe(0);
  });
});
