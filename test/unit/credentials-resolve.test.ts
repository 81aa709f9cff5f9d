import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CredentialStore } from '../../src-main/core/auth/credential-store.ts';
import { createMemoryStore, createUnavailableStore } from '../../src-main/core/auth/memory-store.ts';
import { resolveCredentials } from '../../src-main/core/auth/resolve-credentials.ts';
import { AppError } from '../../src-shared/domain/errors.ts';
import { appErrorOf } from '../support/app-error.ts';

let home: string;
beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'resolve-'));
});
afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

const entry = (key: string, server = 'https://data.4dnucleome.org/') => ({
  key,
  secret: `${key}-secret`,
  server,
});

async function keypairs(name: string, data: unknown): Promise<string> {
  const path = join(home, name);
  await writeFile(path, JSON.stringify(data), { mode: 0o600 });
  return path;
}

async function keychainWith(
  name: string,
  keyId: string,
  server = 'https://keychain.example',
): Promise<CredentialStore> {
  const store = createMemoryStore();
  await store.save({ name, server, keyId, addedAt: '2026-01-01T00:00:00.000Z' }, `${keyId}-secret`);
  return store;
}

describe('resolveCredentials', () => {
  it('prefers the keychain profile over keypairs.json', async () => {
    await keypairs('keypairs.json', { default: entry('FILEKEY1') });
    const resolved = await resolveCredentials({ store: await keychainWith('default', 'CHAINKEY'), home });
    expect(resolved).toEqual({
      credentials: { server: 'https://keychain.example', keyId: 'CHAINKEY', secret: 'CHAINKEY-secret' },
      source: 'keychain',
      profile: 'default',
      warnings: [],
    });
  });

  it('falls back to the keypairs.json entry of the same name', async () => {
    const path = await keypairs('keypairs.json', { default: entry('FILEKEY1'), lab: entry('LABKEY01') });
    const resolved = await resolveCredentials({ store: await keychainWith('other', 'CHAINKEY'), home });
    expect(resolved.source).toBe('keypairs');
    expect(resolved.path).toBe(path);
    expect(resolved.credentials).toEqual({
      server: 'https://data.4dnucleome.org',
      keyId: 'FILEKEY1',
      secret: 'FILEKEY1-secret',
    });
    const lab = await resolveCredentials({ store: createMemoryStore(), profile: 'lab', home });
    expect(lab.credentials?.keyId).toBe('LABKEY01');
  });

  it('uses ~/.fourfront-keys.json after ~/keypairs.json', async () => {
    await keypairs('keypairs.json', { default: entry('FILEKEY1') });
    await keypairs('.fourfront-keys.json', {
      'fourfront-webprod': entry('WEBPROD1'),
      default: entry('SHADOWED'),
    });
    const webprod = await resolveCredentials({ profile: 'fourfront-webprod', home });
    expect(webprod.credentials?.keyId).toBe('WEBPROD1');
    expect(webprod.path).toBe(join(home, '.fourfront-keys.json'));
    expect((await resolveCredentials({ home })).credentials?.keyId).toBe('FILEKEY1');
  });

  it('never sends a key to a --server other than the one it was kept for', async () => {
    await keypairs('keypairs.json', { default: entry('FILEKEY1') });
    const same = await resolveCredentials({ server: 'https://data.4dnucleome.org/', home });
    expect(same.credentials?.keyId).toBe('FILEKEY1');
    // The default key and another server: anonymous, with a warning that says why.
    const other = await resolveCredentials({ server: 'http://127.0.0.1:8123/', home });
    expect(other.credentials).toBeUndefined();
    expect(other.source).toBe('anonymous');
    expect(other.warnings.join(' ')).toMatch(/never sent to http:\/\/127\.0\.0\.1:8123/);
    // A key named with --profile and another server: an error, since the user asked for that key.
    const chain = await keychainWith('lab', 'CHAINKEY');
    const named = await appErrorOf(() =>
      resolveCredentials({ store: chain, profile: 'lab', server: 'https://evil.example/', home }),
    );
    expect(named.code).toBe('bad-input');
    expect(named.message).toMatch(
      /is for https:\/\/keychain\.example and is never sent to https:\/\/evil\.example/,
    );
    expect(named.message).not.toContain('CHAINKEY-secret');
    expect((await appErrorOf(() => resolveCredentials({ server: 'not a url', home }))).code).toBe(
      'bad-input',
    );
  });

  it('refuses a key kept for a plain-http server off this machine, wherever it is kept', async () => {
    await keypairs('keypairs.json', { default: entry('FILEKEY1', 'http://data.4dnucleome.org/') });
    const fromFile = await appErrorOf(() => resolveCredentials({ home }));
    expect(fromFile.code).toBe('keypairs-invalid');
    expect(fromFile.message).toMatch(/plain http, which would send the key in clear text: use https:\/\//);
    const chain = await keychainWith('default', 'CHAINKEY', 'http://portal.example');
    const fromChain = await appErrorOf(() => resolveCredentials({ store: chain, home }));
    expect(fromChain.message).toMatch(/http:\/\/portal\.example is plain http/);
    // Loopback http stays allowed: the sample portal.
    await keypairs('keypairs.json', { default: entry('FILEKEY1', 'http://127.0.0.1:8123/') });
    expect((await resolveCredentials({ home })).credentials?.server).toBe('http://127.0.0.1:8123');
  });

  it('falls through an unavailable keychain to keypairs.json with a warning', async () => {
    await keypairs('keypairs.json', { default: entry('FILEKEY1') });
    const resolved = await resolveCredentials({ store: createUnavailableStore('No keychain here.'), home });
    expect(resolved.source).toBe('keypairs');
    expect(resolved.warnings).toEqual(['No keychain here.']);
  });

  it('says nothing of an unavailable keychain when the explicit --keypairs file gives the key', async () => {
    const named = await keypairs('named.json', { default: entry('FILEKEY1') });
    const store = createUnavailableStore('No keychain here.');
    const resolved = await resolveCredentials({ store, home, keypairsPath: named });
    expect(resolved).toMatchObject({ source: 'keypairs', path: named, warnings: [] });
    // Without the key there, the failure still names the keychain.
    const missing = await appErrorOf(() =>
      resolveCredentials({ store, home, keypairsPath: named, profile: 'other' }),
    );
    expect(missing.message).toContain('the keychain is not available');
  });

  it('reads only an explicit --keypairs file, which must exist and hold the entry', async () => {
    await keypairs('keypairs.json', { default: entry('FILEKEY1') });
    const other = await keypairs('other.json', { default: entry('OTHERKEY') });
    expect((await resolveCredentials({ keypairsPath: other, home })).credentials?.keyId).toBe('OTHERKEY');

    const missing = await appErrorOf(() =>
      resolveCredentials({ keypairsPath: join(home, 'nope.json'), home }),
    );
    expect(missing.code).toBe('keypairs-invalid');
    expect(missing.message).toMatch(/^No keypairs file at/);

    const absent = await appErrorOf(() => resolveCredentials({ keypairsPath: other, profile: 'lab', home }));
    expect(absent.code).toBe('auth-missing');
    expect(absent.message).toContain('No key named "lab"');
    expect(absent.message).toContain('entries: default');
  });

  it('is anonymous when nothing was asked for and nothing is there', async () => {
    const resolved = await resolveCredentials({ store: createUnavailableStore('No keychain here.'), home });
    expect(resolved).toEqual({ source: 'anonymous', warnings: ['No keychain here.'] });
    expect(await resolveCredentials({ store: createMemoryStore(), home })).toEqual({
      source: 'anonymous',
      warnings: [],
    });
  });

  it('fails when a named profile is found nowhere, saying the keychain was unavailable', async () => {
    const error = await appErrorOf(() =>
      resolveCredentials({ store: createUnavailableStore('No keychain here.'), profile: 'lab', home }),
    );
    expect(error.code).toBe('auth-missing');
    expect(error.message).toContain('the keychain is not available');
  });

  it('reports a broken default file and a broken chosen entry rather than going anonymous', async () => {
    await writeFile(join(home, 'keypairs.json'), '{"default": ', { mode: 0o600 });
    expect((await appErrorOf(() => resolveCredentials({ home }))).code).toBe('keypairs-invalid');
    await keypairs('keypairs.json', { default: { key: 'K', secret: 'S' } });
    const error = await appErrorOf(() => resolveCredentials({ home }));
    expect(error.message).toBe(`Entry "default" in ${join(home, 'keypairs.json')}: missing "server".`);
  });

  it('passes the mode warning of the file it used, never the secret', async () => {
    const path = join(home, 'keypairs.json');
    await writeFile(path, JSON.stringify({ default: entry('FILEKEY1') }), { mode: 0o644 });
    const resolved = await resolveCredentials({ home });
    expect(resolved.warnings).toHaveLength(process.platform === 'win32' ? 0 : 1);
    expect(JSON.stringify(resolved.warnings)).not.toContain('FILEKEY1-secret');
  });

  it('does not swallow keychain errors other than unavailability', async () => {
    const store = createMemoryStore();
    store.get = async () => {
      throw new AppError('internal', 'boom');
    };
    expect((await appErrorOf(() => resolveCredentials({ store, home }))).message).toBe('boom');
  });
});
