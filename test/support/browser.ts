import { accessSync, constants, existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

/**
 * Chromium for the end-to-end tests: Debian's /usr/bin/chromium driven by playwright-core (Playwright's own
 * browser downloads are not reachable here). CHROMIUM_PATH points elsewhere when needed.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const projectRoot = resolve(import.meta.dirname, '../..');
/** The built renderer the web host serves (`npm test` runs `electron-vite build` before vitest). */
export const rendererDir = join(projectRoot, 'out', 'renderer');

function chromiumMissing(): boolean {
  try {
    accessSync(CHROMIUM_PATH, constants.X_OK);
    return false;
  } catch {
    return true;
  }
}

/** Why the browser tests cannot run here, or undefined. Under CI=true never a reason: missing means failing. */
export function chromiumSkipReason(): string | undefined {
  if (process.env.CI === 'true' || !chromiumMissing()) return undefined;
  return `no Chromium at ${CHROMIUM_PATH} (apt install chromium, or set CHROMIUM_PATH)`;
}

/** Throws a message that says what to do when the renderer has not been built. */
export function assertRendererBuilt(): void {
  const index = join(rendererDir, 'index.html');
  const assets = join(rendererDir, 'assets');
  const built = existsSync(index) && existsSync(assets) && readdirSync(assets).some((f) => f.endsWith('.js'));
  if (!built) {
    throw new Error(
      `No built renderer in ${rendererDir}: run \`npx electron-vite build\` (npm test builds before vitest).`,
    );
  }
}

export async function launchChromium(): Promise<Browser> {
  if (chromiumMissing()) {
    throw new Error(
      `No Chromium at ${CHROMIUM_PATH}: install it (apt install chromium) or set CHROMIUM_PATH.`,
    );
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
}

export interface OpenedPage {
  context: BrowserContext;
  page: Page;
  /** Uncaught page errors and console errors, to assert the app ran cleanly. */
  errors: string[];
}

export interface OpenPageOptions {
  viewport?: { width: number; height: number };
  colorScheme?: 'light' | 'dark';
}

/** A fresh context (own sessionStorage, so the token comes from the URL only) with one page at `url`. */
export async function openPage(
  browser: Browser,
  url: string,
  options: OpenPageOptions = {},
): Promise<OpenedPage> {
  const context = await browser.newContext({
    viewport: options.viewport ?? { width: 1280, height: 800 },
    colorScheme: options.colorScheme ?? 'light',
    reducedMotion: 'reduce',
  });
  // A step that cannot happen fails in seconds with what it waited for, not at the test's timeout.
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  await page.goto(url);
  return { context, page, errors };
}
