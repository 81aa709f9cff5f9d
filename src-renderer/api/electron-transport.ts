import type { EventName, EventPayload, InvokeChannel, InvokeOutput } from '../../src-shared/ipc/contract.ts';
import { ApiError, type Transport, unwrap } from './transport.ts';
import type { ElectronApi } from './window-api.ts';

/** The Transport over the preload's window.api. IPC does not drop, so the connection is always open. */
export function createElectronTransport(api: ElectronApi): Transport {
  return {
    async invoke(channel, input) {
      let result: Awaited<ReturnType<ElectronApi['invoke']>>;
      try {
        result = await api.invoke(channel, input);
      } catch (error) {
        // Electron rejects only when the channel is not allowed or main crashed: report it as a value.
        const message = error instanceof Error ? error.message : String(error);
        throw new ApiError('internal', `The app could not handle ${channel}: ${message}`);
      }
      return unwrap(result) as InvokeOutput<typeof channel & InvokeChannel>;
    },
    on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void) {
      return api.on(event, (payload) => listener(payload as EventPayload<E>));
    },
    onConnection(listener) {
      listener('open');
      return () => {};
    },
  };
}
