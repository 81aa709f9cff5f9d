// The sandboxed preload: CommonJS, and it may require nothing but electron (the bundler inlines the rest).
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { createPreloadApi } from './preload-api.ts';

contextBridge.exposeInMainWorld(
  'api',
  createPreloadApi({ ipcRenderer, getPathForFile: (file) => webUtils.getPathForFile(file) }),
);
