import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
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

// One build for every bundle: the Electron main process, the CLI and the web host share the core,
// so they are built together as entries of the "main" (Node) build.
export default defineConfig({
  main: {
    define: { __APP_VERSION__: JSON.stringify(pkg.version) },
    build: {
      outDir: 'out/main',
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
