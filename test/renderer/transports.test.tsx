import { afterEach, describe, expect, it, vi } from 'vitest';
import { createElectronTransport } from '../../src-renderer/api/electron-transport.ts';
import { ApiError } from '../../src-renderer/api/transport.ts';
import { createWebTransport, type SocketLike, socketUrlFor } from '../../src-renderer/api/web-transport.ts';
import type { ElectronApi } from '../../src-renderer/api/window-api.ts';

class FakeSocket implements SocketLike {
  readyState = 0;
  sent: Array<Record<string, unknown>> = [];
  onopen: ((event: unknown) => void) | null = null;
  onclose: ((event: unknown) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  readonly url: string;
  constructor(url: string) {
    this.url = url;
  }
  send(data: string) {
    this.sent.push(JSON.parse(data));
  }
  close() {
    this.drop();
  }
  open() {
    this.readyState = 1;
    this.onopen?.({});
  }
  drop() {
    this.readyState = 3;
    this.onclose?.({});
  }
  push(frame: unknown) {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }
}

function socketFactory() {
  const sockets: FakeSocket[] = [];
  return {
    sockets,
    createSocket: (url: string) => {
      const socket = new FakeSocket(url);
      sockets.push(socket);
      return socket;
    },
  };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('web transport', () => {
  it('builds the socket URL from ?token= and keeps the token for a reload', () => {
    const storage = window.sessionStorage;
    storage.clear();
    const first = socketUrlFor(
      { protocol: 'http:', host: '127.0.0.1:4567', search: '?token=s3cr3t%2Ftok' },
      storage,
    );
    expect(first).toBe('ws://127.0.0.1:4567/api?token=s3cr3t%2Ftok');
    const reloaded = socketUrlFor({ protocol: 'http:', host: '127.0.0.1:4567', search: '' }, storage);
    expect(reloaded).toBe(first);
    expect(socketUrlFor({ protocol: 'https:', host: 'h', search: '?token=x' }, storage)).toBe(
      'wss://h/api?token=x',
    );
  });

  it('drops the token from the address bar once read, keeping it for this tab only', () => {
    window.sessionStorage.clear();
    window.history.replaceState(null, '', '/?token=s3cr3t&view=queue#top');
    const url = socketUrlFor(window.location, window.sessionStorage, window.history);
    expect(url).toMatch(/\/api\?token=s3cr3t$/);
    expect(window.location.search).toBe('?view=queue');
    expect(window.location.hash).toBe('#top');
    expect(window.location.href).not.toContain('s3cr3t');
    // A reload (no token in the address any more) still connects with the kept token.
    expect(socketUrlFor(window.location, window.sessionStorage, window.history)).toBe(url);
    expect(window.localStorage.length).toBe(0);
  });

  it('queues invokes until open, answers them by id, and rejects error results with their code', async () => {
    const { sockets, createSocket } = socketFactory();
    const transport = createWebTransport({ url: 'ws://x/api?token=t', createSocket });
    const info = transport.invoke('settings:get', {});
    const bad = transport.invoke('queue:pause', { ids: ['j1'] });
    const socket = sockets[0] as FakeSocket;
    expect(socket.sent).toEqual([]);
    socket.open();
    expect(socket.sent.map((f) => f.channel)).toEqual(['settings:get', 'queue:pause']);
    const [a, b] = socket.sent as Array<{ id: number }>;
    socket.push({
      type: 'result',
      id: b?.id,
      result: { ok: false, error: { code: 'not-found', message: 'No such job' } },
    });
    socket.push({ type: 'result', id: a?.id, result: { ok: true, value: { theme: 'dark' } } });
    await expect(info).resolves.toEqual({ theme: 'dark' });
    const error = await bad.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: 'not-found', message: 'No such job' });
    transport.close();
  });

  it('delivers pushed events to listeners until they unsubscribe', () => {
    const { sockets, createSocket } = socketFactory();
    const transport = createWebTransport({ url: 'ws://x', createSocket });
    const seen: unknown[] = [];
    const off = transport.on('queue:batch-done', (p) => seen.push(p));
    sockets[0]?.open();
    sockets[0]?.push({ type: 'event', name: 'queue:batch-done', payload: { done: 3, failed: 0 } });
    off();
    sockets[0]?.push({ type: 'event', name: 'queue:batch-done', payload: { done: 4, failed: 0 } });
    expect(seen).toEqual([{ done: 3, failed: 0 }]);
    transport.close();
  });

  it('rejects pending invokes with a network error on close, then reconnects with backoff', async () => {
    vi.useFakeTimers();
    const { sockets, createSocket } = socketFactory();
    const states: string[] = [];
    const transport = createWebTransport({
      url: 'ws://x',
      createSocket,
      backoffMs: { initial: 100, max: 1000 },
      random: () => 1,
    });
    transport.onConnection?.((s) => states.push(s));
    sockets[0]?.open();
    const pending = transport.invoke('queue:snapshot', {});
    sockets[0]?.drop();
    await expect(pending).rejects.toMatchObject({ code: 'network' });
    await expect(transport.invoke('settings:get', {})).rejects.toMatchObject({ code: 'network' });

    vi.advanceTimersByTime(99);
    expect(sockets).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(sockets).toHaveLength(2);
    sockets[1]?.drop();
    vi.advanceTimersByTime(199);
    expect(sockets).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(sockets).toHaveLength(3);
    sockets[2]?.open();
    expect(states).toEqual(['connecting', 'open', 'closed', 'connecting', 'closed', 'connecting', 'open']);
    transport.close();
  });
});

describe('electron transport', () => {
  it('unwraps results, turns errors into ApiError and forwards events', async () => {
    const listeners = new Map<string, (payload: unknown) => void>();
    const api: ElectronApi = {
      invoke: async (channel) =>
        channel === 'settings:get'
          ? { ok: true, value: { downloadDir: '/d' } as never }
          : { ok: false, error: { code: 'auth-rejected', message: 'Key rejected' } },
      on: (event, listener) => {
        listeners.set(event, listener);
        return () => listeners.delete(event);
      },
    };
    const transport = createElectronTransport(api);
    await expect(transport.invoke('settings:get', {})).resolves.toEqual({ downloadDir: '/d' });
    await expect(transport.invoke('profiles:test', { name: 'x' })).rejects.toMatchObject({
      code: 'auth-rejected',
      message: 'Key rejected',
    });
    const seen: unknown[] = [];
    transport.on('settings:changed', (s) => seen.push(s));
    listeners.get('settings:changed')?.({ theme: 'light' });
    expect(seen).toEqual([{ theme: 'light' }]);
  });
});
