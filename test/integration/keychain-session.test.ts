import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SamplePortal, SamplePortalOptions } from '../../sample-portal/types.ts';
import { createMemoryStore } from '../../src-main/core/auth/memory-store.ts';
import { resolveCredentials } from '../../src-main/core/auth/resolve-credentials.ts';
import { createSessionCheck } from '../../src-main/core/auth/session-check.ts';
import { createProfilesHandlers } from '../../src-main/core/handlers/profiles.ts';

/**
 * Keys checked against the sample portal (sample-portal/), as the app does it: import the portal's
 * keypairs.json, resolve, and test through /session-properties over real HTTP.
 */
const serverModule = resolve(import.meta.dirname, '../../sample-portal/server.ts');
const portalMissing = !existsSync(serverModule) && process.env.CI !== 'true';
if (portalMissing)
  console.warn('Skipping the sample-portal key tests: sample-portal/server.ts is not there yet');

describe.skipIf(portalMissing)('keys against the sample portal', () => {
  let portal: SamplePortal;
  beforeAll(async () => {
    const { startSamplePortal } = (await import(serverModule)) as {
      startSamplePortal: (options?: SamplePortalOptions) => Promise<SamplePortal>;
    };
    portal = await startSamplePortal();
  });
  afterAll(async () => {
    await portal?.close();
  });

  it('accepts the portal key and rejects a wrong secret', async () => {
    const check = createSessionCheck();
    const good = await check({ server: portal.portalUrl, keyId: portal.key, secret: portal.secret });
    expect(good).toMatchObject({ ok: true, email: expect.stringContaining('@') });
    const bad = await check({ server: portal.portalUrl, keyId: portal.key, secret: 'a'.repeat(16) });
    expect(bad).toMatchObject({ ok: false, code: 'auth-rejected' });
  });

  it('resolves the key from its keypairs.json', async () => {
    const resolved = await resolveCredentials({
      keypairsPath: portal.keypairsPath,
      store: createMemoryStore(),
    });
    expect(resolved.credentials).toEqual({
      server: portal.portalUrl,
      keyId: portal.key,
      secret: portal.secret,
    });
  });

  it('imports the keypairs.json, then tests the profile by name', async () => {
    const store = createMemoryStore();
    const handlers = createProfilesHandlers({ store, testKey: createSessionCheck() });
    const imported = await handlers['profiles:import']({ path: portal.keypairsPath });
    expect(imported.imported.map((p) => [p.name, p.server, p.keyId])).toEqual([
      ['default', portal.portalUrl, portal.key],
    ]);
    const result = await handlers['profiles:test']({ name: 'default' });
    expect(result.ok).toBe(true);
    expect((await store.get('default'))?.lastTest?.ok).toBe(true);
    expect(JSON.stringify([imported, result])).not.toContain(portal.secret);
  });
});
