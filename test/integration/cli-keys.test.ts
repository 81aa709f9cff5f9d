import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SamplePortal, startSamplePortal } from '../../sample-portal/server.ts';
import type { CliRun } from '../support/cli-io.ts';
import { keyringSkipReason, runWithKeyring } from '../support/keyring.ts';

const scenario = resolve(import.meta.dirname, '../support/cli-keys-scenario.ts');
const skipReason = keyringSkipReason();
if (skipReason) console.warn(`Skipping the CLI keychain test: ${skipReason}`);

describe.skipIf(skipReason !== undefined)('4dn-dl keys through the real keychain (gnome-keyring)', () => {
  let portal: SamplePortal;
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cli-keys-'));
    portal = await startSamplePortal({ files: 4, dataDir: join(dir, 'portal') });
  });
  afterAll(async () => {
    await portal?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('adds a tested key from stdin, lists it, uses it, removes it, and never prints the secret', async () => {
    const result = await runWithKeyring(
      scenario,
      [
        join(dir, 'data'),
        portal.portalUrl,
        portal.key,
        portal.secret,
        portal.gen3CredentialsPath,
        portal.files[0]?.accession ?? '',
        join(dir, 'out'),
      ],
      {
        timeoutMs: 60_000,
      },
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout + result.stderr).not.toContain(portal.secret);
    const steps = JSON.parse(result.stdout) as Record<string, CliRun>;

    expect(steps.add?.code, steps.add?.stderr).toBe(0);
    expect(steps.add?.stdout).toContain('Saved key');
    expect(steps.add?.stdout).toContain('demo@');
    // A key the portal rejects is not saved, and the exit code says so.
    expect(steps.addBad?.code).toBe(3);

    const listed = JSON.parse(steps.list?.stdout ?? '{}') as { profiles: Array<Record<string, unknown>> };
    const demo = listed.profiles.find((p) => p.name === 'demo');
    expect(demo).toMatchObject({
      name: 'demo',
      keyId: portal.key,
      server: portal.portalUrl,
      source: 'keychain',
    });
    expect(listed.profiles.some((p) => p.name === 'bad')).toBe(false);

    expect(steps.test?.code).toBe(0);
    expect(steps.test?.stdout).toContain('works');
    const page = JSON.parse(steps.info?.stdout ?? '{}') as { items: unknown[] };
    expect(page.items.length).toBe(2);

    expect(steps.remove?.code).toBe(0);
    const after = JSON.parse(steps.listAfter?.stdout ?? '{}') as { profiles: Array<{ name: string }> };
    expect(after.profiles.some((p) => p.name === 'demo')).toBe(false);

    // A Gen3 credentials.json: saved with its kind, tested through the token exchange, and downloaded with.
    expect(steps.addGen3?.code, steps.addGen3?.stderr).toBe(0);
    expect(steps.addGen3?.stdout).toContain(
      `Saved Gen3 API key ${portal.gen3.keyId} for ${portal.portalUrl}`,
    );
    expect(steps.testGen3?.stdout).toBe('Key "commons" works: demo@example.org.\n');
    expect(steps.getGen3?.code, `${steps.getGen3?.stdout} ${steps.getGen3?.stderr}`).toBe(0);
    expect(JSON.parse(steps.getGen3?.stdout ?? '{}')).toMatchObject({ ok: 1, failed: 0 });
    expect(portal.authorizationSentToStorage()).toBe(false);
    const printed = result.stdout + result.stderr;
    for (const secret of [portal.gen3.apiKey, ...portal.gen3.issued()]) expect(printed).not.toContain(secret);
  });
});
