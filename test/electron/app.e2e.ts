/**
 * The Electron app end to end, driven by Playwright's _electron against the built app (`npm run build`).
 * Run with `node --test test/electron/app.e2e.ts` where an Electron binary is installed; on Linux without
 * a display, under `xvfb-run -a`. Without a binary it reports a skip and why (under CI=true it fails).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';
import { APP_ENTRY_URL } from '../../src-main/electron/security.ts';

const root = resolve(import.meta.dirname, '../..');

/** The Electron executable, or why there is none here. */
function findElectron(): { path: string } | { missing: string } {
  const fromEnv = process.env.ELECTRON_PATH;
  if (fromEnv)
    return existsSync(fromEnv) ? { path: fromEnv } : { missing: `ELECTRON_PATH=${fromEnv} does not exist` };
  const pathFile = join(root, 'node_modules/electron/path.txt');
  if (!existsSync(pathFile)) {
    return {
      missing:
        'no Electron binary: node_modules/electron was installed without it (ELECTRON_SKIP_BINARY_DOWNLOAD, or ' +
        'no access to the Electron download host). Run `node node_modules/electron/install.js` with network ' +
        'access, or set ELECTRON_PATH.',
    };
  }
  const binary = join(root, 'node_modules/electron/dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? { path: binary } : { missing: `the Electron binary ${binary} is missing` };
}

function skipReason(): string | undefined {
  const electron = findElectron();
  if ('missing' in electron) return electron.missing;
  if (!existsSync(join(root, 'out/main/main.js'))) return 'the app is not built: run `npm run build` first';
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    return 'no display: run under `xvfb-run -a`';
  }
  return undefined;
}

/**
 * The page's globals the tests touch (this file compiles without the DOM library). Functions passed to
 * page.evaluate run in the page, so each casts globalThis itself rather than calling a helper from here.
 */
interface PageGlobals {
  api: {
    invoke(channel: string, input: unknown): Promise<unknown>;
    on(event: string, l: (p: unknown) => void): void;
  };
  opened: unknown[];
  location: { href: string };
  open(url: string): unknown;
  require?: unknown;
  process?: unknown;
}

const reason = skipReason();
if (reason && process.env.CI === 'true') {
  // A green CI run must mean this ran.
  throw new Error(`Electron e2e cannot run under CI: ${reason}`);
}
if (reason) {
  console.log(`# Electron e2e skipped: ${reason}`);
  it('the Electron app', { skip: reason }, () => {});
} else {
  appSuite();
}

function appSuite(): void {
  describe('the Electron app', () => {
    let app: ElectronApplication;
    let page: Page;
    let dataDir: string;

    before(async () => {
      dataDir = mkdtempSync(join(tmpdir(), '4dn-e2e-'));
      const electron = findElectron() as { path: string };
      app = await _electron.launch({
        executablePath: electron.path,
        args: [
          root,
          `--user-data-dir=${dataDir}`,
          ...(process.platform === 'linux' && process.getuid?.() === 0 ? ['--no-sandbox'] : []),
        ],
        cwd: root,
        env: { ...process.env, ELECTRON_RENDERER_URL: '' },
        timeout: 60_000,
      });
      page = await app.firstWindow();
      await page.waitForLoadState('domcontentloaded');
    });

    after(async () => {
      await app?.close();
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('loads the packaged renderer over app://', async () => {
      assert.equal(page.url(), APP_ENTRY_URL);
      assert.equal(await page.title(), '4DN Downloader');
    });

    it('keeps its state in the folder it was given', async () => {
      const userData = await app.evaluate(({ app: electronApp }) => electronApp.getPath('userData'));
      assert.equal(userData, dataDir);
    });

    it('runs the page isolated: no Node, only window.api', async () => {
      const globals = await page.evaluate(() => ({
        require: typeof (globalThis as unknown as PageGlobals).require,
        process: typeof (globalThis as unknown as PageGlobals).process,
        api: Object.keys((globalThis as unknown as PageGlobals).api).sort(),
      }));
      assert.deepEqual(globals, {
        require: 'undefined',
        process: 'undefined',
        api: ['invoke', 'on', 'pathForFile'],
      });
      const prefs = await app.evaluate(({ BrowserWindow }) => {
        // Not in the public typings, but present at run time: the preferences the page really got.
        const contents = BrowserWindow.getAllWindows()[0]?.webContents as unknown as {
          getLastWebPreferences(): {
            contextIsolation?: boolean;
            sandbox?: boolean;
            nodeIntegration?: boolean;
          };
        };
        const p = contents.getLastWebPreferences();
        return {
          contextIsolation: p?.contextIsolation,
          sandbox: p?.sandbox,
          nodeIntegration: p?.nodeIntegration,
        };
      });
      assert.deepEqual(prefs, { contextIsolation: true, sandbox: true, nodeIntegration: false });
    });

    it('answers contract calls through the router and refuses other channels', async () => {
      const info = await page.evaluate(() =>
        (globalThis as unknown as PageGlobals).api.invoke('app:info', {}),
      );
      assert.equal((info as { ok: boolean; value: { host: string } }).value.host, 'electron');
      const refused = await page.evaluate(() =>
        (globalThis as unknown as PageGlobals).api.invoke('fs:read', {}).then(
          () => 'resolved',
          (error: Error) => error.message,
        ),
      );
      assert.match(refused, /Unknown channel/);
    });

    it('serves pages with the strict CSP header', async () => {
      const csp = await page.evaluate(async () =>
        (await fetch((globalThis as unknown as PageGlobals).location.href)).headers.get(
          'content-security-policy',
        ),
      );
      assert.match(csp ?? '', /default-src 'none'; script-src 'self';/);
    });

    it('opens no windows and follows no navigation', async () => {
      const opened = await page.evaluate(
        () => (globalThis as unknown as PageGlobals).open('https://example.org/') === null,
      );
      assert.equal(opened, true);
      await page.evaluate(() => {
        (globalThis as unknown as PageGlobals).location.href = 'https://example.org/';
      });
      await page.waitForTimeout(500);
      assert.equal(page.url(), APP_ENTRY_URL);
      assert.equal(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length), 1);
    });

    it('hands a drs:// link from the OS to the page as app:open-items', async () => {
      await page.evaluate(() => {
        const page = globalThis as unknown as PageGlobals;
        page.opened = [];
        page.api.on('app:open-items', (payload) => page.opened.push(payload));
      });
      await app.evaluate(({ app: electronApp }) => {
        electronApp.emit('open-url', { preventDefault() {} }, 'drs://data.4dnucleome.org/4DNFI1234567/');
      });
      await page.waitForFunction(() => (globalThis as unknown as PageGlobals).opened.length > 0);
      const opened = await page.evaluate(() => (globalThis as unknown as PageGlobals).opened);
      assert.deepEqual(opened, [{ items: ['drs://data.4dnucleome.org/4DNFI1234567'] }]);
    });

    it('hides to the tray on close and keeps running', async () => {
      await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.close());
      const windows = () =>
        app.evaluate(({ BrowserWindow }) =>
          BrowserWindow.getAllWindows().map((window) => window.isVisible()),
        );
      // Hidden once the close has been handled: asked until then (10 s at most), not after a fixed pause.
      let state = await windows();
      for (const deadline = Date.now() + 10_000; state[0] !== false && Date.now() < deadline; ) {
        await new Promise((tick) => setTimeout(tick, 50));
        state = await windows();
      }
      assert.deepEqual(state, [false]);
    });
  });
}
