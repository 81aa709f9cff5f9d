import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentSecurityPolicy, LOOPBACK_SOCKETS } from '../../src-shared/csp.ts';
import { WIRE_PATH } from '../../src-shared/ipc/wire.ts';
import { chromiumSkipReason, launchChromium, type OpenedPage, openPage } from '../support/browser.ts';
import { type E2eApp, startE2eApp } from '../support/e2e-app.ts';
import type { PageGlobals } from '../support/e2e-dom.ts';
import { goToView, textOf, waitForApp } from '../support/e2e-page.ts';

/** The web host's defences as a browser meets them: CSP, the socket's token, and the contract's channels. */
const skipReason = chromiumSkipReason();
if (skipReason) console.warn(`Skipping the browser e2e tests: ${skipReason}`);

const NO_TOKEN_BANNER = /^Cannot reach the downloader\. Open the link printed when it started/;

/** Opens a socket from inside the page (so Origin is the page's own) and reports what happened. */
function probeSocket(page: Page, query: string, frames: unknown[]) {
  return page.evaluate(
    ({ path, query, frames }) =>
      new Promise<{ opened: boolean; closeCode: number; answers: unknown[] }>((resolve) => {
        const { location } = globalThis as unknown as PageGlobals;
        const socket = new WebSocket(`ws://${location.host}${path}${query}`);
        const answers: unknown[] = [];
        let opened = false;
        socket.onopen = () => {
          opened = true;
          for (const frame of frames) socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
        };
        socket.onmessage = (event) => {
          const frame = JSON.parse(String(event.data)) as { type: string };
          if (frame.type !== 'result') return;
          answers.push(frame);
          if (answers.length === frames.filter((f) => typeof f !== 'string').length) socket.close(1000);
        };
        socket.onclose = (event) => resolve({ opened, closeCode: event.code, answers });
      }),
    { path: WIRE_PATH, query, frames },
  );
}

describe.skipIf(skipReason !== undefined)('Web host security, seen from Chromium', () => {
  let browser: Browser;
  let app: E2eApp;
  const pages: OpenedPage[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
    app = await startE2eApp();
  });
  afterAll(async () => {
    for (const opened of pages) await opened.context.close();
    await app?.close();
    await browser?.close();
  });

  it('serves the page with a strict CSP that the browser enforces', async () => {
    const opened = await openPage(browser, 'about:blank');
    pages.push(opened);
    const { page } = opened;
    const response = await page.goto(app.url);
    const headers = response?.headers() ?? {};
    const csp = headers['content-security-policy'] ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['referrer-policy']).toBe('no-referrer');
    await waitForApp(page);
    // The built page carries the same policy as a <meta> (less frame-ancestors, which a meta cannot carry).
    const meta = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    expect(meta).toBe(contentSecurityPolicy({ connect: [LOOPBACK_SOCKETS], delivery: 'meta' }));
    expect(`${meta}; frame-ancestors 'none'`).toBe(csp);

    // Inline script, a remote image and a fetch to another origin are all refused by the policy.
    const outcome = await page.evaluate(async (portalUrl) => {
      const page = globalThis as unknown as PageGlobals;
      const { document, Image } = page;
      const violations: string[] = [];
      document.addEventListener('securitypolicyviolation', (e) => {
        violations.push(`${e.effectiveDirective} ${e.blockedURI}`);
      });
      const script = document.createElement('script');
      script.textContent = 'window.__injected = true';
      document.head.append(script);
      const image = new Image();
      const imageSettled = new Promise<void>((done) => {
        image.addEventListener('error', () => done());
        image.addEventListener('load', () => done());
      });
      image.src = `${portalUrl}/pixel.png`;
      const fetched = await fetch(`${portalUrl}/session-properties`).then(
        () => 'fetched',
        () => 'refused',
      );
      await imageSettled;
      // The reports arrive as tasks of their own: wait for one per directive (5 s at most; the assertion below
      // then names what is missing).
      const directives = () => new Set(violations.map((v) => v.split(' ')[0])).size;
      for (const deadline = Date.now() + 5000; directives() < 3 && Date.now() < deadline; ) {
        await new Promise((tick) => setTimeout(tick, 20));
      }
      return { injected: page.__injected === true, fetched, violations };
    }, app.portal.portalUrl);
    expect(outcome.injected).toBe(false);
    expect(outcome.fetched).toBe('refused');
    expect(outcome.violations).toEqual(
      expect.arrayContaining([
        'script-src-elem inline',
        `img-src ${app.portal.portalUrl}/pixel.png`,
        `connect-src ${app.portal.portalUrl}/session-properties`,
      ]),
    );
    expect(app.portal.storageRequests()).toEqual([]);
  });

  it('drops the token from the address bar and history once read, and still reconnects after a reload', async () => {
    const opened = await openPage(browser, 'about:blank');
    pages.push(opened);
    const { page } = opened;
    const token = new URL(app.url).searchParams.get('token') ?? '';
    await page.goto(app.url);
    await waitForApp(page);
    expect(page.url()).not.toContain(token);
    expect(new URL(page.url()).searchParams.has('token')).toBe(false);
    const kept = await page.evaluate(() => {
      const { sessionStorage, localStorage, history } = globalThis as unknown as {
        sessionStorage: { length: number };
        localStorage: { length: number };
        history: { length: number };
      };
      return { session: sessionStorage.length, local: localStorage.length, entries: history.length };
    });
    expect(kept).toEqual({ session: 1, local: 0, entries: 2 });
    await page.reload();
    await waitForApp(page);
    expect(await page.getByRole('alert').filter({ hasText: 'Cannot reach the downloader' }).count()).toBe(0);
    expect(page.url()).not.toContain(token);
  });

  it('shows that it cannot connect when the token is missing or wrong, and serves it nothing', async () => {
    for (const url of [app.url.replace(/\?token=.*$/, ''), app.url.replace(/token=[^&]+/, 'token=wrong')]) {
      const opened = await openPage(browser, 'about:blank');
      pages.push(opened);
      const { page } = opened;
      const received: string[] = [];
      page.on('websocket', (ws) => ws.on('framereceived', (frame) => received.push(String(frame.payload))));
      await page.goto(url);
      const banner = page.getByRole('alert').filter({ hasText: 'Cannot reach the downloader' });
      await banner.waitFor({ timeout: 15_000 });
      expect(await textOf(banner)).toMatch(NO_TOKEN_BANNER);
      await goToView(page, 'Settings');
      expect(await page.getByLabel('Download folder').count()).toBe(0);
      expect(received).toEqual([]);
      // Asked directly, the socket refuses the upgrade: it never opens.
      const probe = await probeSocket(page, url.includes('token=') ? '?token=wrong' : '', []);
      expect(probe.opened).toBe(false);
      expect(probe.closeCode).toBe(1006);
    }
  });

  it('refuses channels outside the contract and malformed frames over the socket', async () => {
    const opened = await openPage(browser, app.url);
    pages.push(opened);
    const { page } = opened;
    await waitForApp(page);
    const token = new URL(app.url).searchParams.get('token') ?? '';
    const probe = await probeSocket(page, `?token=${encodeURIComponent(token)}`, [
      { type: 'invoke', id: 1, channel: 'fs:readFile', input: { path: '/etc/passwd' } },
      { type: 'invoke', id: 2, channel: '__proto__', input: {} },
      { type: 'invoke', id: 3, channel: 'constructor', input: {} },
      { type: 'invoke', id: 4, channel: 'settings:set', input: { downloadDir: 42 } },
      { type: 'invoke', id: 5, channel: 'app:info', input: {} },
    ]);
    expect(probe.opened).toBe(true);
    const byId = new Map(
      (
        probe.answers as Array<{
          id: number;
          result: { ok: boolean; error?: { code: string; message: string } };
        }>
      ).map((a) => [a.id, a.result]),
    );
    expect(byId.get(1)).toEqual({
      ok: false,
      error: { code: 'bad-input', message: 'Unknown channel: fs:readFile' },
    });
    expect(byId.get(2)).toMatchObject({ ok: false, error: { code: 'bad-input' } });
    expect(byId.get(3)).toMatchObject({ ok: false, error: { code: 'bad-input' } });
    expect(byId.get(4)).toMatchObject({ ok: false, error: { code: 'bad-input' } });
    expect(byId.get(5)).toMatchObject({ ok: true });
    expect((await app.call('settings:get', {})).downloadDir).toBe(app.downloadDir);

    // A frame that is not an invoke closes that socket with "policy violation".
    const malformed = await probeSocket(page, `?token=${encodeURIComponent(token)}`, ['not json at all']);
    expect(malformed.opened).toBe(true);
    expect(malformed.closeCode).toBe(1008);
  });

  it('runs every view without a console error or CSP complaint', async () => {
    const opened = await openPage(browser, app.url);
    pages.push(opened);
    await waitForApp(opened.page);
    for (const view of ['Add', 'Browse', 'Accounts', 'Settings', 'Queue'] as const)
      await goToView(opened.page, view);
    await opened.page.reload();
    await waitForApp(opened.page);
    expect(opened.errors).toEqual([]);
  });
});
