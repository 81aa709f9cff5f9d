import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SamplePortal, startSamplePortal } from '../../sample-portal/server.ts';
import { assertRendererBuilt, chromiumSkipReason, launchChromium, openPage } from '../support/browser.ts';
import { startKeyringWebHost } from '../support/e2e-keyring.ts';
import { goToView, textOf, waitForApp } from '../support/e2e-page.ts';
import { keyringSkipReason } from '../support/keyring.ts';

/**
 * Accounts with the real keychain: the web host runs in a child process against a private gnome-keyring
 * (keytar over Secret Service), and the key is added, tested, kept across a reload and a restart, and removed
 * in the page. The secret goes in once and never comes back: not in the DOM, not in a frame the page receives,
 * not in a plain file.
 */
const skipReason = chromiumSkipReason() ?? keyringSkipReason();
if (skipReason) console.warn(`Skipping the Accounts keychain e2e test: ${skipReason}`);

async function plainFilesContaining(dir: string, needle: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const hits: string[] = [];
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    if ((await readFile(path)).includes(needle)) hits.push(path);
  }
  return hits;
}

function card(page: Page, name: string) {
  return page.getByRole('article', { name: `Profile ${name}` });
}

describe.skipIf(skipReason !== undefined)('Accounts, with the OS keychain behind the web host', () => {
  let browser: Browser;
  let portal: SamplePortal;
  let home: string;

  beforeAll(async () => {
    assertRendererBuilt();
    browser = await launchChromium();
    portal = await startSamplePortal({ files: 2 });
    home = await mkdtemp(join(tmpdir(), '4dn-e2e-keyring-'));
  });
  afterAll(async () => {
    await browser?.close();
    await portal?.close();
    if (home) await rm(home, { recursive: true, force: true });
  });

  it('adds, tests, keeps and removes a key without the secret ever reaching the page', async () => {
    const dataDir = join(home, 'app-data');
    const first = await startKeyringWebHost(home, dataDir);
    const received: string[] = [];
    const sent: string[] = [];
    const opened = await openPage(browser, 'about:blank');
    const { page } = opened;
    page.on('websocket', (ws) => {
      ws.on('framereceived', (frame) => received.push(String(frame.payload)));
      ws.on('framesent', (frame) => sent.push(String(frame.payload)));
    });
    try {
      await page.goto(first.url);
      await waitForApp(page);
      await goToView(page, 'Accounts');
      expect(await page.getByTestId('keychain-notice').count()).toBe(0);

      await page.getByTestId('key-name').fill('lab');
      await page.getByTestId('key-id').fill(portal.key);
      await page.getByTestId('key-secret').fill(portal.secret);
      await page.getByTestId('key-server').fill(portal.portalUrl);
      await page.getByRole('button', { name: 'Test', exact: true }).click();
      await expect
        .poll(() => textOf(page.getByTestId('key-outcome')), { timeout: 15_000 })
        .toBe('Key works: signed in as demo@example.org.');

      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await expect
        .poll(() => textOf(page.getByTestId('key-outcome')), { timeout: 15_000 })
        .toBe('Saved “lab”. Key works: signed in as demo@example.org.');
      await card(page, 'lab').waitFor();
      const shown = await textOf(card(page, 'lab'));
      expect(shown).toContain(portal.portalUrl);
      expect(shown).toContain(portal.key);
      expect(shown).toMatch(/Stored in\s+System keychain/);
      expect(shown).toMatch(/Last test\s+Worked .* as demo@example\.org/);
      expect(await page.getByTestId('key-secret').inputValue()).toBe('');

      // Still there after a reload: it came back from the keychain.
      await page.reload();
      await waitForApp(page);
      await goToView(page, 'Accounts');
      await card(page, 'lab').waitFor({ timeout: 15_000 });
      expect(await page.getByRole('combobox', { name: 'Active profile' }).inputValue()).toBe('lab');
      expect(await page.content()).not.toContain(portal.secret);
      const values = await page
        .locator('input, textarea')
        .evaluateAll((els) => els.map((el) => (el as { value?: string }).value ?? ''));
      expect(values.join('\n')).not.toContain(portal.secret);
    } finally {
      await opened.context.close();
      const result = await first.stop();
      expect(result.code, result.stderr).toBe(0);
      expect(JSON.parse(result.stdout)).toEqual({ keychain: { available: true } });
    }

    // The secret went out once (Test, Save) and never came back in any frame.
    expect(sent.filter((frame) => frame.includes(portal.secret))).toHaveLength(2);
    expect(received.length).toBeGreaterThan(5);
    expect(received.filter((frame) => frame.includes(portal.secret))).toEqual([]);
    // Nowhere in a plain file: not the app's state, not the keyring's (encrypted) file, not anything else.
    expect(await plainFilesContaining(home, portal.secret)).toEqual([]);
    // ... while gnome-keyring did write its (encrypted) collection under the private HOME.
    const keyrings = await readdir(join(home, 'data', 'keyrings'));
    expect(keyrings.some((name) => name.endsWith('.keyring'))).toBe(true);

    // A new host process in a new session opens the same keyring: the key is there; remove it.
    const second = await startKeyringWebHost(home, dataDir);
    const again = await openPage(browser, second.url);
    try {
      await waitForApp(again.page);
      await goToView(again.page, 'Accounts');
      await card(again.page, 'lab').waitFor({ timeout: 15_000 });
      await again.page.getByRole('button', { name: 'Remove lab' }).click();
      const dialog = again.page.getByRole('alertdialog');
      expect(await textOf(dialog.getByRole('heading'))).toBe('Remove the key “lab”?');
      await dialog.getByRole('button', { name: 'Remove' }).click();
      await card(again.page, 'lab').waitFor({ state: 'detached', timeout: 10_000 });
      await expect.poll(() => textOf(again.page.getByTestId('notice'))).toBe('Removed lab.');
      await again.page.reload();
      await waitForApp(again.page);
      await goToView(again.page, 'Accounts');
      expect(await textOf(again.page.locator('.accounts-view'))).toContain('No keys yet.');
      expect(await again.page.getByTestId('profile-card').count()).toBe(0);
      expect([...opened.errors, ...again.errors]).toEqual([]);
    } finally {
      await again.context.close();
      const result = await second.stop();
      expect(result.code, result.stderr).toBe(0);
    }
  });

  it('says truthfully that a keypairs.json profile is not removed, and it stays after a reload', async () => {
    const keypairs = join(home, 'keypairs.json');
    await writeFile(
      keypairs,
      JSON.stringify({ default: { key: portal.key, secret: portal.secret, server: portal.portalUrl } }),
      { mode: 0o600 },
    );
    const host = await startKeyringWebHost(home, join(home, 'app-data-2'), keypairs);
    const opened = await openPage(browser, host.url);
    try {
      const { page } = opened;
      await waitForApp(page);
      await goToView(page, 'Accounts');
      await card(page, 'default').waitFor({ timeout: 15_000 });
      expect(await textOf(card(page, 'default'))).toContain('keypairs.json');
      await page.getByRole('button', { name: 'Remove default' }).click();
      await page.getByRole('alertdialog').getByRole('button', { name: 'Remove' }).click();
      await expect
        .poll(() => textOf(page.getByTestId('notice')))
        .toBe(
          `Not removed: default comes from ${keypairs}, which the app does not edit. Remove the entry there.`,
        );
      await page.reload();
      await waitForApp(page);
      await goToView(page, 'Accounts');
      await card(page, 'default').waitFor({ timeout: 15_000 });
      expect(opened.errors).toEqual([]);
    } finally {
      await opened.context.close();
      const result = await host.stop();
      expect(result.code, result.stderr).toBe(0);
    }
  });
});
