import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createElectronTransport } from './api/electron-transport.ts';
import type { Transport } from './api/transport.ts';
import { createWebTransport, socketUrlFor } from './api/web-transport.ts';
import { electronApi } from './api/window-api.ts';
import { App } from './app.tsx';
import { StoresProvider } from './store/context.tsx';
import { createStores, startStores } from './store/stores.ts';
import './styles/index.css';

/** Inside Electron the preload gives window.api; in a browser tab we talk to the web host's socket. */
function pickTransport(): Transport {
  const api = electronApi();
  if (api) return createElectronTransport(api);
  return createWebTransport({ url: socketUrlFor(window.location, window.sessionStorage, window.history) });
}

const stores = createStores(pickTransport());
startStores(stores);

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <StoresProvider stores={stores}>
      <App />
    </StoresProvider>
  </StrictMode>,
);
