import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { type InvokeChannel, type InvokeResult, invokeChannels } from '../../src-shared/ipc/contract.ts';
import type { Router } from '../core/router.ts';
import { isTrustedSender } from './security.ts';

export interface IpcOptions {
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>;
  router: Router;
  /** Whether a call comes from the app's own window; see isTrustedSender. */
  isTrusted(event: IpcMainInvokeEvent): boolean;
  /** Runs after a call succeeded, for the few channels the desktop adds a side effect to. */
  afterCall?(channel: InvokeChannel, input: unknown, result: InvokeResult<InvokeChannel>): void;
}

/**
 * Puts the contract on ipcMain: one handler per contract channel (nothing else is ever registered), each
 * checking its sender before the router parses the input. Returns a function that removes them.
 */
export function registerIpc(options: IpcOptions): () => void {
  for (const channel of invokeChannels) {
    options.ipcMain.handle(channel, async (event, input: unknown): Promise<InvokeResult<InvokeChannel>> => {
      if (!options.isTrusted(event)) {
        return {
          ok: false,
          error: {
            code: 'forbidden',
            message: `Refused ${channel}: the request did not come from the app's window`,
          },
        };
      }
      const result = await options.router.call(channel, input);
      if (result.ok) options.afterCall?.(channel, input, result);
      return result;
    });
  }
  return () => {
    for (const channel of invokeChannels) options.ipcMain.removeHandler(channel);
  };
}

/**
 * The sender check for the app's window: the call must come from that window's web contents, from its
 * top frame, showing the app's own origin (a frame that navigated elsewhere or an iframe is refused).
 */
export function trustedSenderCheck(
  appContents: () => WebContents | undefined,
  devOrigin?: string,
): (event: Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>) => boolean {
  return (event) => {
    const contents = appContents();
    const frame = event.senderFrame;
    return (
      contents !== undefined &&
      event.sender === contents &&
      isTrustedSender(frame ? { url: frame.url, isTopFrame: frame.parent === null } : null, devOrigin)
    );
  };
}
