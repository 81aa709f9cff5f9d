import { createStore, type StoreApi } from 'zustand/vanilla';
import type { InvokeOutput } from '../../src-shared/ipc/contract.ts';
import type { ConnectionState, Transport } from '../api/transport.ts';

export type View = 'queue' | 'add' | 'browse' | 'accounts' | 'settings';

/** A button in a notice ("Undo"): it runs once, and the notice goes. */
export interface NoticeAction {
  label: string;
  run(): void;
}

export interface Notice {
  id: number;
  kind: 'info' | 'success' | 'error';
  text: string;
  action?: NoticeAction | undefined;
  /** A notice about one view's form ("marked in red"): it goes when the user leaves that view. */
  view?: View | undefined;
}

export interface AppState {
  view: View;
  info: InvokeOutput<'app:info'> | null;
  connection: ConnectionState;
  /** True once the connection dropped at least once: a reopen then calls for fresh snapshots. */
  wasDisconnected: boolean;
  notice: Notice | null;
  setView(view: View): void;
  notify(kind: Notice['kind'], text: string, action?: NoticeAction, view?: View): void;
  dismiss(id?: number): void;
  /** Loads app:info and follows the connection; onReconnect runs when a lost connection comes back. */
  start(onReconnect: () => void): () => void;
}
export type AppStore = StoreApi<AppState>;

export function createAppStore(transport: Transport): AppStore {
  let nextNotice = 1;
  return createStore<AppState>()((set, get) => ({
    view: 'queue',
    info: null,
    connection: transport.onConnection ? 'connecting' : 'open',
    wasDisconnected: false,
    notice: null,
    setView: (view) => {
      const notice = get().notice;
      set({ view, ...(notice?.view && notice.view !== view ? { notice: null } : {}) });
    },
    notify: (kind, text, action, view) => set({ notice: { id: nextNotice++, kind, text, action, view } }),
    dismiss(id) {
      const notice = get().notice;
      if (notice && (id === undefined || notice.id === id)) set({ notice: null });
    },
    start(onReconnect) {
      const loadInfo = () => {
        transport.invoke('app:info', {}).then(
          (info) => set({ info }),
          () => {},
        );
      };
      loadInfo();
      const offConnection = transport.onConnection?.((connection) => {
        const { wasDisconnected, connection: before } = get();
        set({ connection, wasDisconnected: wasDisconnected || connection === 'closed' });
        if (connection === 'open' && before !== 'open' && get().wasDisconnected) {
          loadInfo();
          onReconnect();
        }
      });
      return () => {
        offConnection?.();
      };
    },
  }));
}
