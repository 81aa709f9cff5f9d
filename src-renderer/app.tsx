import { type ComponentType, useEffect } from 'react';
import { openLists, useDropAnywhere } from './components/drop-anywhere.ts';
import { Header } from './components/header.tsx';
import { ProgressAnnouncer } from './components/progress-announcer.tsx';
import { Rail } from './components/rail.tsx';
import { ConnectionBanner, NoticeBar } from './components/status-bars.tsx';
import type { View } from './store/app-store.ts';
import { useApp, useSettings, useStores } from './store/context.tsx';
import { AccountsView } from './views/accounts/accounts-view.tsx';
import { AddView } from './views/add/add-view.tsx';
import { BrowseView } from './views/browse/browse-view.tsx';
import { QueueView } from './views/queue/queue-view.tsx';
import { SettingsView } from './views/settings/settings-view.tsx';

const VIEW_COMPONENTS: Record<View, ComponentType> = {
  queue: QueueView,
  add: AddView,
  browse: BrowseView,
  accounts: AccountsView,
  settings: SettingsView,
};

/** The theme setting wins over the OS; 'system' leaves it to prefers-color-scheme. */
function useTheme() {
  const theme = useSettings((s) => s.settings?.theme ?? 'system');
  useEffect(() => {
    const root = document.documentElement;
    if (theme === 'system') delete root.dataset.theme;
    else root.dataset.theme = theme;
  }, [theme]);
}

export function App() {
  const stores = useStores();
  const view = useApp((s) => s.view);
  const dragging = useDropAnywhere(stores);
  useTheme();
  // drs:// links and list files the OS hands the desktop app open in Add, as a drop would.
  useEffect(
    () =>
      stores.transport.on('app:open-items', ({ items, files }) => {
        void openLists(stores, { files: files ?? [], text: items.join('\n') });
      }),
    [stores],
  );
  const Current = VIEW_COMPONENTS[view];
  return (
    <div className="app">
      <Header />
      <Rail />
      <main className="content" id="main">
        <ConnectionBanner />
        <Current />
      </main>
      <NoticeBar />
      <ProgressAnnouncer queue={stores.queue} />
      {dragging ? (
        <div className="drop-overlay" data-testid="drop-overlay" aria-hidden="true">
          <p>Drop to add</p>
        </div>
      ) : null}
    </div>
  );
}
