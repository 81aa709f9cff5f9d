import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { IpcRenderer, IpcRendererEvent } from 'electron';
import { describe, expect, it } from 'vitest';
import { EVENT_BATCH_CHANNEL, EVENT_NAMES, INVOKE_CHANNELS } from '../../src-main/electron/channels.ts';
import { createPreloadApi } from '../../src-main/electron/preload-api.ts';
import { eventNames, invokeChannels } from '../../src-shared/ipc/contract.ts';
import { importsOf } from '../support/imports.ts';

type BatchListener = (event: IpcRendererEvent, batch: unknown) => void;

/** ipcRenderer as the preload uses it: invoke calls are recorded, pushed batches are replayed by push(). */
class FakeIpcRenderer {
  readonly invoked: { channel: string; input: unknown }[] = [];
  private listener: BatchListener | undefined;
  registeredOn: string | undefined;
  invoke(channel: string, input: unknown): Promise<unknown> {
    this.invoked.push({ channel, input });
    return Promise.resolve({ ok: true, value: { echoed: channel } });
  }
  on(channel: string, listener: BatchListener): this {
    this.registeredOn = channel;
    this.listener = listener;
    return this;
  }
  push(batch: unknown): void {
    this.listener?.({ sender: 'the IPC event' } as unknown as IpcRendererEvent, batch);
  }
}

function setup() {
  const ipc = new FakeIpcRenderer();
  const api = createPreloadApi({
    ipcRenderer: ipc as unknown as Pick<IpcRenderer, 'invoke' | 'on'>,
    getPathForFile: (file) => `/dropped/${file.name}`,
  });
  return { ipc, api };
}

describe('the preload allowlist', () => {
  it('equals the contract: every invoke channel and event, nothing more', () => {
    expect([...INVOKE_CHANNELS].sort()).toEqual([...invokeChannels].sort());
    expect([...EVENT_NAMES].sort()).toEqual([...eventNames].sort());
    expect(invokeChannels).not.toContain(EVENT_BATCH_CHANNEL);
  });

  it('keeps zod and the rest of the app out of the preload source', () => {
    const root = resolve(import.meta.dirname, '../..');
    for (const file of ['src-main/electron/preload.ts', 'src-main/electron/preload-api.ts']) {
      const runtimeImports = importsOf(
        readFileSync(resolve(root, file), 'utf8').replace(/^import type .*$/gm, ''),
      );
      for (const spec of runtimeImports)
        expect(['electron', './channels.ts', './preload-api.ts']).toContain(spec);
    }
  });
});

describe('window.api.invoke', () => {
  it('forwards contract channels to ipcRenderer.invoke', async () => {
    const { ipc, api } = setup();
    expect(await api.invoke('queue:pause-all', {})).toEqual({
      ok: true,
      value: { echoed: 'queue:pause-all' },
    });
    expect(ipc.invoked).toEqual([{ channel: 'queue:pause-all', input: {} }]);
  });

  it.each(['api:events', 'ELECTRON_BROWSER_REQUIRE', 'fs:read', 'toString', '__proto__', ''])(
    'rejects %s without touching ipcRenderer',
    async (channel) => {
      const { ipc, api } = setup();
      await expect(api.invoke(channel, {})).rejects.toThrow(/Unknown channel/);
      expect(ipc.invoked).toEqual([]);
    },
  );

  it('rejects a channel that is not a string', async () => {
    const { ipc, api } = setup();
    await expect(api.invoke(42 as unknown as string)).rejects.toThrow(/Unknown channel/);
    expect(ipc.invoked).toEqual([]);
  });
});

describe('window.api.on', () => {
  it('listens on the one batch channel', () => {
    expect(setup().ipc.registeredOn).toBe(EVENT_BATCH_CHANNEL);
  });

  it('passes payloads alone, in order, never the IPC event', () => {
    const { ipc, api } = setup();
    const seen: unknown[][] = [];
    api.on('queue:batch-done', (...args: unknown[]) => seen.push(args));
    api.on('settings:changed', (...args: unknown[]) => seen.push(args));
    ipc.push([
      { name: 'queue:batch-done', payload: { done: 3, failed: 0 } },
      { name: 'settings:changed', payload: { theme: 'dark' } },
      { name: 'queue:batch-done', payload: { done: 4, failed: 1 } },
    ]);
    expect(seen).toEqual([[{ done: 3, failed: 0 }], [{ theme: 'dark' }], [{ done: 4, failed: 1 }]]);
  });

  it('stops delivering after unsubscribe', () => {
    const { ipc, api } = setup();
    const seen: unknown[] = [];
    const off = api.on('queue:batch-done', (payload) => seen.push(payload));
    ipc.push([{ name: 'queue:batch-done', payload: 1 }]);
    off();
    ipc.push([{ name: 'queue:batch-done', payload: 2 }]);
    expect(seen).toEqual([1]);
  });

  it('ignores malformed batches and unknown names', () => {
    const { ipc, api } = setup();
    const seen: unknown[] = [];
    api.on('queue:changed', (payload) => seen.push(payload));
    ipc.push('not a batch');
    ipc.push([null, 7, { name: 'evil:event', payload: 1 }, { payload: 2 }]);
    expect(seen).toEqual([]);
  });

  it('refuses unknown events and non-function listeners', () => {
    const { api } = setup();
    expect(() => api.on('ipc:anything', () => {})).toThrow(/Unknown event/);
    expect(() => api.on('queue:changed', 'nope' as unknown as () => void)).toThrow(/listener/);
  });

  it('holds app:open-items until the page subscribes, then delivers it once', () => {
    const { ipc, api } = setup();
    const early = { items: ['drs://data.4dnucleome.org/4DNFI1234567'] };
    ipc.push([{ name: 'app:open-items', payload: early }]);
    ipc.push([{ name: 'queue:batch-done', payload: { done: 1, failed: 0 } }]);
    const first: unknown[] = [];
    api.on('app:open-items', (payload) => first.push(payload));
    expect(first).toEqual([early]);
    const second: unknown[] = [];
    api.on('app:open-items', (payload) => second.push(payload));
    expect(second).toEqual([]);
    const missed: unknown[] = [];
    api.on('queue:batch-done', (payload) => missed.push(payload));
    expect(missed).toEqual([]);
  });
});

describe('window.api.pathForFile', () => {
  it('asks webUtils for the dropped file path', () => {
    const { api } = setup();
    expect(api.pathForFile(new File(['{}'], 'keypairs.json'))).toBe('/dropped/keypairs.json');
  });
});
