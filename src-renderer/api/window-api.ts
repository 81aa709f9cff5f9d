import type { InvokeChannel, InvokeResult } from '../../src-shared/ipc/contract.ts';

/** What the Electron preload exposes as window.api (contextBridge): results as values, never thrown. */
export interface ElectronApi {
  invoke(channel: string, input: unknown): Promise<InvokeResult<InvokeChannel>>;
  on(event: string, listener: (payload: unknown) => void): () => void;
}

declare global {
  interface Window {
    api?: ElectronApi;
  }
}

/** The preload's API when running inside Electron, else undefined (a browser tab on the web host). */
export function electronApi(): ElectronApi | undefined {
  return typeof window === 'undefined' ? undefined : window.api;
}
