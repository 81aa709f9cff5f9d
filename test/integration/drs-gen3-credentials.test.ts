import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SamplePortal } from '../../sample-portal/server.ts';
import { createSessionCheck } from '../../src-main/core/auth/session-check.ts';
import { createCredentialCheck } from '../../src-main/core/auth/token-check.ts';
import { parseGen3CredentialsFile } from '../../src-shared/gen3-credentials.ts';
import { type Harness, md5OfFile, startHarness } from './engine-harness.ts';

/** Every file under a folder, as text, to look for secrets that must never be written. */
async function allText(dir: string): Promise<string> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const texts = await Promise.all(
    entries
      .filter((e) => e.isFile())
      .map((e) => readFile(join(e.parentPath, e.name), 'utf8').catch(() => '')),
  );
  return texts.join('\n');
}

const gen3Credentials = async (portal: SamplePortal) => ({
  server: portal.portalUrl,
  kind: 'gen3' as const,
  ...parseGen3CredentialsFile(await readFile(portal.gen3CredentialsPath, 'utf8')),
});

describe('a Gen3 API key file against the Gen3-like sample portal', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ credentials: gen3Credentials });
  });
  afterEach(async () => {
    await h.reset();
  });
  afterAll(async () => {
    await h?.close();
  });

  const secrets = () => [h.portal.gen3.apiKey, ...h.portal.gen3.issued()];

  it('exchanges the key for a token once, downloads, and no token or key reaches storage or a file', async () => {
    const files = ['TSTFIEFPL589', 'TSTFI8FEHXH1', 'TSTFIEJJHOK1'].map((a) => h.portal.file(a));
    const before = h.portal.gen3.exchanges;
    const jobs = await h.download(files.map((f) => f.accession));
    for (const [i, job] of jobs.entries()) {
      expect(job).toMatchObject({ state: 'done', verification: 'verified' });
      expect(await md5OfFile(job.path as string)).toBe(files[i]?.md5);
    }
    expect(h.portal.gen3.exchanges - before).toBe(1);
    const storage = h.portal.storageRequests();
    expect(storage.length).toBeGreaterThan(0);
    expect(storage.some((r) => r.hadAuthorization)).toBe(false);
    const seen = storage.map((r) => `${r.target}\n${r.headerText}`).join('\n');
    const written = await allText(h.root);
    for (const secret of secrets()) {
      expect(seen).not.toContain(secret);
      expect(written).not.toContain(secret);
      expect(JSON.stringify(h.engine.snapshot())).not.toContain(secret);
    }
  });

  it('gets a new token when the server answers 401 to a stale one, and carries on', async () => {
    await h.download(['TSTFIEFPL589']);
    const before = h.portal.gen3.exchanges;
    h.portal.gen3.revokeAll();
    const [job] = await h.download(['TSTFI8FEHXH1']);
    expect(job).toMatchObject({ state: 'done', verification: 'verified' });
    expect(h.portal.gen3.exchanges - before).toBe(1);
  });

  it('keys test: a good Gen3 key names the user, a wrong one is rejected, plain http off loopback is refused', async () => {
    const check = createCredentialCheck(createSessionCheck());
    const good = await gen3Credentials(h.portal);
    expect(await check(good)).toEqual({ ok: true, email: 'demo@example.org' });
    expect(await check({ ...good, secret: 'not.the.key' })).toMatchObject({
      ok: false,
      code: 'auth-rejected',
    });
    const token = await check({ server: h.portal.portalUrl, kind: 'bearer', keyId: 't', secret: 'stale' });
    expect(token).toMatchObject({ ok: false, code: 'auth-rejected' });
    expect(await check({ ...good, server: 'http://example.org' })).toMatchObject({
      ok: false,
      message: 'Refusing to send a credential to example.org over plain http: use https.',
    });
  });
});

describe('a bearer token', () => {
  let h: Harness;
  afterAll(async () => {
    await h?.close();
  });

  it('is sent to the portal only, and a download verifies', async () => {
    h = await startHarness({
      credentials: async (portal) => {
        const answer = await fetch(`${portal.portalUrl}/user/credentials/api/access_token`, {
          method: 'POST',
          body: JSON.stringify({ api_key: portal.gen3.apiKey }),
        });
        const { access_token } = (await answer.json()) as { access_token: string };
        return { server: portal.portalUrl, kind: 'bearer', keyId: 'token', secret: access_token };
      },
    });
    const [job] = await h.download(['TSTFIEFPL589']);
    expect(job).toMatchObject({ state: 'done', verification: 'verified' });
    expect(h.portal.gen3.exchanges).toBe(1);
    expect(h.portal.authorizationSentToStorage()).toBe(false);
  });
});
