import { spawn } from 'node:child_process';
import { access, readFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createMemoryStore } from '../../src-main/core/auth/memory-store.ts';
import { EventHub } from '../../src-main/core/events.ts';
import { createServices } from '../../src-main/core/services.ts';
import { startWebCommand, type WebCommandIo } from '../../src-main/web/command.ts';
import { startDemoPortal } from '../../src-main/web/demo-portal.ts';
import { startWebHost } from '../../src-main/web/host.ts';
import { type RunningWebHost, runWebHost } from '../../src-main/web/run.ts';
import type { EventName, EventPayload } from '../../src-shared/ipc/contract.ts';
import { makeScratch, openSocket, WireClient } from '../support/web-host.ts';

const projectRoot = resolve(import.meta.dirname, '../..');
let scratch: Awaited<ReturnType<typeof makeScratch>>;
const toClose: Array<{ close(): Promise<void> }> = [];

beforeAll(async () => {
  scratch = await makeScratch();
});
afterEach(async () => {
  for (const item of toClose.splice(0)) await item.close();
});
afterAll(async () => {
  await scratch?.cleanup();
});

/** Counts live subscriptions, to prove a closed socket leaves none behind. */
class CountingHub extends EventHub {
  active = 0;
  override on<E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void): () => void {
    const off = super.on(name, listener);
    this.active++;
    return () => {
      this.active--;
      off();
    };
  }
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('error', () => done(false));
  });
}

function captureIo(): WebCommandIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (line) => out.push(line), stderr: (line) => err.push(line) };
}

describe('web host lifecycle', () => {
  it('subscribes per connection and unsubscribes when the socket or the host closes', async () => {
    const events = new CountingHub();
    const services = await createServices({
      dataDir: join(scratch.root, 'hub-data'),
      host: 'web',
      credentialStore: createMemoryStore(),
    });
    const host = await startWebHost({ router: services.router, events, rendererDir: scratch.rendererDir });
    const first = new WireClient(await openSocket({ port: host.port, token: host.token }));
    const second = new WireClient(await openSocket({ port: host.port, token: host.token }));
    await first.invoke('app:info', {});
    await second.invoke('app:info', {});
    const perSocket = events.active / 2;
    expect(perSocket).toBeGreaterThanOrEqual(5);
    first.socket.close();
    await first.closed;
    await vi.waitFor(() => expect(events.active).toBe(perSocket));
    await host.close();
    expect((await second.closed).code).toBe(1001);
    await vi.waitFor(() => expect(events.active).toBe(0));
    expect(await canConnect(host.port)).toBe(false);
  });

  it('runWebHost serves the core for a data folder and closes everything', async () => {
    const dataDir = join(scratch.root, 'run-data');
    const running = await runWebHost({
      rendererDir: scratch.rendererDir,
      dataDir,
      version: '1.2.3',
      credentialStore: createMemoryStore(),
    });
    const wire = new WireClient(await openSocket({ port: running.port, token: running.token }));
    expect(await wire.invoke('app:info', {})).toMatchObject({
      ok: true,
      value: { dataDir, version: '1.2.3' },
    });
    expect(running.demo).toBeUndefined();
    await running.close();
    expect(await canConnect(running.port)).toBe(false);
    await access(dataDir);
  });

  it('demo mode starts the portal, uses a fresh temporary folder, and removes it on close', async () => {
    let portalClosed = false;
    const keypairsPath = join(scratch.root, 'demo-keypairs.json');
    const running = await runWebHost({
      rendererDir: scratch.rendererDir,
      demoPortal: async () => ({
        portalUrl: 'http://127.0.0.1:9/',
        keypairsPath,
        close: async () => {
          portalClosed = true;
        },
      }),
    });
    expect(running.demo).toMatchObject({ portalUrl: 'http://127.0.0.1:9/', keypairsPath });
    const downloadDir = running.demo?.downloadDir as string;
    await access(downloadDir);
    const wire = new WireClient(await openSocket({ port: running.port, token: running.token }));
    expect(await wire.invoke('settings:get', {})).toMatchObject({ ok: true, value: { downloadDir } });
    expect(await wire.invoke('app:info', {})).toMatchObject({
      ok: true,
      value: { dataDir: running.dataDir },
    });
    await running.close();
    expect(portalClosed).toBe(true);
    await expect(access(running.dataDir)).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(access(downloadDir)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('the demo portal', () => {
  it('starts the real sample portal (sample-portal/) for the demo', async () => {
    const running = await runWebHost({
      rendererDir: scratch.rendererDir,
      demoPortal: startDemoPortal,
    });
    const demo = running.demo as NonNullable<RunningWebHost['demo']>;
    const keypairs = JSON.parse(await readFile(demo.keypairsPath, 'utf8')) as {
      default?: { server?: string };
    };
    expect(keypairs.default?.server).toBe(`${demo.portalUrl}/`);
    const portalPort = Number(new URL(demo.portalUrl).port);
    expect(await canConnect(portalPort)).toBe(true);
    // The whole path: browser socket -> router -> the demo's keys and server -> the sample portal.
    const wire = new WireClient(await openSocket({ port: running.port, token: running.token }));
    const search = await wire.invoke('portal:search', { limit: 5 });
    expect(search).toMatchObject({ ok: true });
    expect(search.ok && (search.value as { items: unknown[] }).items.length).toBeGreaterThan(0);
    expect(await wire.invoke('app:info', {})).toMatchObject({
      ok: true,
      value: { keychain: { available: true } },
    });
    await running.close();
    expect(await canConnect(portalPort)).toBe(false);
  });
});

describe('the web command', () => {
  it('prints help and usage errors without starting', async () => {
    const help = captureIo();
    expect(await startWebCommand(['--help'], projectRoot, help)).toBe(0);
    expect(help.out.join('\n')).toContain('--data-dir DIR');
    for (const argv of [
      ['--port', '70000'],
      ['--port', 'x'],
      ['--bogus'],
      ['--demo', '--data-dir', '/tmp/x'],
      ['extra'],
    ]) {
      const io = captureIo();
      expect(await startWebCommand(argv, projectRoot, io), argv.join(' ')).toBe(2);
      expect(io.out).toEqual([]);
    }
  });

  it('says to build first when the UI is missing', async () => {
    const io = captureIo();
    expect(await startWebCommand(['--renderer', join(scratch.root, 'missing')], projectRoot, io)).toBe(1);
    expect(io.err.join('\n')).toContain('npm run build');
  });

  it('prints exactly one line to open, and explains a busy port', async () => {
    const io = captureIo();
    const args = [
      '--port',
      '0',
      '--data-dir',
      join(scratch.root, 'cmd-data'),
      '--renderer',
      scratch.rendererDir,
    ];
    const running = (await startWebCommand(args, projectRoot, io)) as RunningWebHost;
    toClose.push(running);
    expect(io.out).toEqual([`Open http://127.0.0.1:${running.port}/?token=${running.token}`]);
    expect(io.out[0]).toMatch(/^Open http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{43}$/);
    expect(io.err.join('\n')).not.toContain(running.token);
    const busy = captureIo();
    const again = [
      '--port',
      String(running.port),
      '--data-dir',
      join(scratch.root, 'cmd-data2'),
      '--renderer',
      scratch.rendererDir,
    ];
    expect(await startWebCommand(again, projectRoot, busy)).toBe(1);
    expect(busy.err.join('\n')).toContain('already in use');
  });

  it('runs as a process from source and stops cleanly on SIGTERM', async () => {
    const child = spawn(
      process.execPath,
      [
        'src-main/web/main.ts',
        '--port',
        '0',
        '--data-dir',
        join(scratch.root, 'proc-data'),
        '--renderer',
        scratch.rendererDir,
      ],
      { cwd: projectRoot, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    const lines = createInterface({ input: child.stdout });
    const first = await new Promise<string>((done) => lines.once('line', done));
    const url = first.replace(/^Open /, '');
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('4DN test page');
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
