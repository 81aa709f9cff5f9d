import { dirname, relative, resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';
import pkg from './package.json' with { type: 'json' };
import { contentSecurityPolicy, LOOPBACK_SOCKETS } from './src-shared/csp.ts';

/**
 * The built index.html carries the app's one policy as a <meta> as well, so the page is covered however it is
 * served. Build only: a dev run's HMR preamble is inline, which the policy (rightly) refuses.
 */
const cspMeta = {
  name: 'csp-meta',
  apply: 'build' as const,
  transformIndexHtml: () => [
    {
      tag: 'meta',
      attrs: {
        'http-equiv': 'Content-Security-Policy',
        content: contentSecurityPolicy({ connect: [LOOPBACK_SOCKETS], delivery: 'meta' }),
      },
      injectTo: 'head-prepend' as const,
    },
  ],
};

/**
 * `new Worker(new URL('./x.ts', import.meta.url))` in the Node build: x.ts becomes a chunk of its own and the URL
 * points at it. Vite does this for browser builds only (its worker and `new URL` plugins skip the SSR build that
 * electron-vite makes of the main process), and electron-vite's `?nodeWorker` import works only when bundled,
 * whereas this source form also runs under vitest and plain node (which strip the worker's types themselves).
 */
const WORKER_URL = /new Worker\(\s*new URL\(\s*'(\.\.?\/[^']+\.ts)'\s*,\s*import\.meta\.url\s*\)/g;
const WORKER_REF = /__NODE_WORKER_CHUNK_(\w+)__/g;
const nodeWorkerChunks: Plugin = {
  name: 'node-worker-chunks',
  apply: 'build',
  enforce: 'pre',
  transform(code, id) {
    if (!code.includes('new Worker(')) return null;
    let found = false;
    const out = code.replace(WORKER_URL, (_match, file: string) => {
      found = true;
      const ref = this.emitFile({ type: 'chunk', id: resolve(dirname(id), file), importer: id });
      return `new Worker(new URL(__NODE_WORKER_CHUNK_${ref}__, import.meta.url)`;
    });
    return found ? { code: out, map: null } : null;
  },
  renderChunk(code, chunk) {
    if (!code.includes('__NODE_WORKER_CHUNK_')) return null;
    return code.replace(WORKER_REF, (_match, ref: string) => {
      const path = relative(dirname(chunk.fileName), this.getFileName(ref));
      return JSON.stringify(path.startsWith('.') ? path : `./${path}`);
    });
  },
};

// One build for every bundle: the Electron main process, the CLI and the web host share the core,
// so they are built together as entries of the "main" (Node) build.
export default defineConfig({
  main: {
    define: { __APP_VERSION__: JSON.stringify(pkg.version) },
    plugins: [nodeWorkerChunks],
    build: {
      outDir: 'out/main',
      // zod goes into the bundle, tree-shaken: loaded from node_modules it is some hundred ES modules (every
      // locale among them) and cost each CLI start 85 ms of wall and 0.1 s of CPU.
      externalizeDeps: { exclude: ['zod'] },
      rollupOptions: {
        input: {
          main: resolve('src-main/electron/main.ts'),
          cli: resolve('src-main/cli/main.ts'),
          web: resolve('src-main/web/main.ts'),
        },
        // The demo's sample portal gets a chunk of its own, named so package.json's `files` can leave it out.
        output: {
          manualChunks: (id: string) => (id.includes('/sample-portal/') ? 'sample-portal' : undefined),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { preload: resolve('src-main/electron/preload.ts') },
        // A sandboxed preload must be CommonJS.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'src-renderer',
    plugins: [react(), cspMeta],
    build: {
      outDir: 'out/renderer',
      // The renderer ships as files the user's machine parses on every start: keep it small.
      minify: true,
      rollupOptions: { input: { index: resolve('src-renderer/index.html') } },
    },
  },
});
