import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { describe, expect, it } from 'vitest';
import { createRouter, type Handlers } from '../../src-main/core/router.ts';
import { registerIpc, trustedSenderCheck } from '../../src-main/electron/ipc.ts';
import { type InvokeChannel, invokeChannels } from '../../src-shared/ipc/contract.ts';

type Listener = (event: IpcMainInvokeEvent, ...args: unknown[]) => Promise<unknown>;

/** ipcMain as far as registerIpc uses it: a map of handlers, as Electron keeps them. */
class FakeIpcMain {
  readonly handlers = new Map<string, Listener>();
  handle(channel: string, listener: Listener): void {
    if (this.handlers.has(channel))
      throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  async call(channel: string, event: IpcMainInvokeEvent, input: unknown): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`No handler registered for '${channel}'`);
    return handler(event, input);
  }
}

/** A real router whose handlers record what reached them. */
function recordingRouter() {
  const calls: { channel: string; input: unknown }[] = [];
  const handlers = Object.fromEntries(
    invokeChannels.map((channel) => [
      channel,
      async (input: unknown) => {
        calls.push({ channel, input });
        if (channel === 'queue:open-target') return { path: '/d/a.bin', folder: '/d', exists: true };
        if (channel === 'queue:pause-all') return { affected: 2 };
        return {};
      },
    ]),
  ) as unknown as Handlers;
  return { router: createRouter(handlers), calls };
}

const appContents = { id: 1 } as unknown as WebContents;
const otherContents = { id: 2 } as unknown as WebContents;
const event = (sender: WebContents, url: string, topFrame = true) =>
  ({ sender, senderFrame: { url, parent: topFrame ? null : {} } }) as unknown as IpcMainInvokeEvent;
const fromApp = event(appContents, 'app://4dn-downloader/index.html');

function setup() {
  const ipcMain = new FakeIpcMain();
  const { router, calls } = recordingRouter();
  const after: { channel: InvokeChannel; input: unknown }[] = [];
  const dispose = registerIpc({
    ipcMain: ipcMain as unknown as Pick<IpcMain, 'handle' | 'removeHandler'>,
    router,
    isTrusted: trustedSenderCheck(() => appContents),
    afterCall: (channel, input) => after.push({ channel, input }),
  });
  return { ipcMain, calls, after, dispose };
}

describe('registerIpc', () => {
  it('registers exactly the contract channels and nothing else', () => {
    const { ipcMain } = setup();
    expect([...ipcMain.handlers.keys()].sort()).toEqual([...invokeChannels].sort());
  });

  it('passes a trusted call through the router and returns its result value', async () => {
    const { ipcMain, calls } = setup();
    expect(await ipcMain.call('queue:pause-all', fromApp, {})).toEqual({ ok: true, value: { affected: 2 } });
    expect(calls).toEqual([{ channel: 'queue:pause-all', input: {} }]);
  });

  it('lets the router refuse bad input before any handler runs', async () => {
    const { ipcMain, calls } = setup();
    const result = (await ipcMain.call('queue:pause', fromApp, { ids: 'not-a-list' })) as {
      ok: boolean;
      error: { code: string };
    };
    expect(result.ok).toBe(false);
    expect(result.error.code).toBe('bad-input');
    expect(calls).toEqual([]);
  });

  it.each([
    ['another web contents', event(otherContents, 'app://4dn-downloader/index.html')],
    ['a sub-frame of the app', event(appContents, 'app://4dn-downloader/index.html', false)],
    ['the app window after navigating away', event(appContents, 'https://evil.example/')],
    ['a frame with no URL', event(appContents, '')],
    ['a sender without a frame', { sender: appContents, senderFrame: null } as unknown as IpcMainInvokeEvent],
  ])('refuses %s without calling the router', async (_name, untrusted) => {
    const { ipcMain, calls, after } = setup();
    const result = (await ipcMain.call('settings:get', untrusted, {})) as {
      ok: boolean;
      error: { code: string };
    };
    expect(result).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(calls).toEqual([]);
    expect(after).toEqual([]);
  });

  it('refuses everything when the window is gone', async () => {
    const ipcMain = new FakeIpcMain();
    const { router, calls } = recordingRouter();
    registerIpc({
      ipcMain: ipcMain as unknown as Pick<IpcMain, 'handle' | 'removeHandler'>,
      router,
      isTrusted: trustedSenderCheck(() => undefined),
    });
    expect(await ipcMain.call('app:info', fromApp, {})).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(calls).toEqual([]);
  });

  it('runs the after-call hook for successful calls only, with the input', async () => {
    const { ipcMain, after } = setup();
    await ipcMain.call('queue:open-target', fromApp, { id: 'j1', reveal: true });
    await ipcMain.call('queue:open-target', fromApp, { id: 42 });
    expect(after).toEqual([{ channel: 'queue:open-target', input: { id: 'j1', reveal: true } }]);
  });

  it('removes every handler when disposed', () => {
    const { ipcMain, dispose } = setup();
    dispose();
    expect(ipcMain.handlers.size).toBe(0);
  });
});
