import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  keyringSkipReason,
  missingKeyringTools,
  runNodeScript,
  runWithKeyring,
  type ScriptResult,
} from '../support/keyring.ts';

/** The real @github/keytar, in child processes, against gnome-keyring or against no Secret Service at all. */
const script = resolve(import.meta.dirname, '../support/keyring-script.ts');
const SERVICE = '4DN Downloader Test';
const skipReason = keyringSkipReason();
if (skipReason) console.warn(`Skipping the gnome-keyring tests: ${skipReason}`);

function output(result: ScriptResult): Record<string, unknown> {
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as Record<string, unknown>;
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

describe.skipIf(skipReason !== undefined)('KeychainStore under a private gnome-keyring', () => {
  let home: string;
  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'keychain-test-'));
  });
  afterAll(async () => {
    await rm(home, { recursive: true, force: true });
  });

  it('has the tools it needs', () => {
    expect(missingKeyringTools()).toEqual([]);
  });

  it('stores, lists, reads, updates and deletes profiles through keytar', async () => {
    const out = output(await runWithKeyring(script, ['roundtrip', SERVICE]));
    const lab = {
      name: 'lab',
      server: 'http://127.0.0.1:8000',
      keyId: 'ABCDEFGH',
      addedAt: '2026-11-20T14:05:00.000Z',
    };
    expect(out.status).toEqual({ available: true });
    expect(out.emptyList).toEqual({ value: [] });
    expect(out.saveLab).toEqual({ value: null });
    expect(out.list).toEqual({ value: [{ ...lab, name: 'home' }, lab] });
    expect(out.get).toEqual({ value: { ...lab, secret: 'roundtripsecret1' } });
    // Another Secret Service client finds the item under the service and account names.
    expect(out.seenBySecretTool).toMatchObject({ v: 1, keyId: 'ABCDEFGH', secret: 'roundtripsecret1' });
    expect(out.afterUpdate).toEqual({
      value: { ...lab, secret: 'roundtripsecret1', lastTest: { ok: true, at: 'then' } },
    });
    expect(out.remove).toEqual({ value: true });
    expect(out.removeAgain).toEqual({ value: false });
    expect(out.getRemoved).toEqual({ value: null });
    expect(out.goneForSecretTool).toBeNull();
    expect(out.finalList).toEqual({ value: [{ ...lab, name: 'home' }] });
  });

  it('leaves the secret nowhere on disk in the clear', async () => {
    const secret = 'plaintextcheck01';
    const out = output(
      await runWithKeyring(script, ['save', SERVICE, 'lab', secret], { home, password: 'first' }),
    );
    expect(out.get).toMatchObject({ value: { secret } });
    const files = await filesUnder(home);
    expect(files.some((f) => f.endsWith('.keyring'))).toBe(true);
    for (const file of files) expect((await readFile(file)).includes(secret), file).toBe(false);
  });

  it('reports a keyring it cannot unlock as keychain-unavailable', async () => {
    const out = output(
      await runWithKeyring(script, ['save', SERVICE, 'other', 'lockedsecret0001'], {
        home,
        password: 'wrong',
      }),
    );
    expect(out.save).toMatchObject({ error: { code: 'keychain-unavailable' } });
    expect(JSON.stringify(out.save)).toMatch(/keyring is locked.*keypairs\.json/);
    const again = output(
      await runWithKeyring(script, ['save', SERVICE, 'other', 'lockedsecret0001'], {
        home,
        password: 'first',
      }),
    );
    expect(again.save).toEqual({ value: null });
  });
});

describe.skipIf(process.platform !== 'linux')('KeychainStore without a Secret Service', () => {
  function expectAllUnavailable(out: Record<string, unknown>, detail: RegExp): void {
    expect(out.status).toMatchObject({ available: false, message: expect.stringMatching(detail) });
    for (const call of ['list', 'get', 'save', 'remove']) {
      expect(out[call], call).toMatchObject({ error: { code: 'keychain-unavailable' } });
    }
    expect(JSON.stringify(out)).not.toContain('neverstored00001');
  }

  it('answers keychain-unavailable when no session bus exists', async () => {
    const out = output(
      await runNodeScript(script, ['unavailable', SERVICE, '5000'], {
        DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus',
      }),
    );
    expectAllUnavailable(out, /no Secret Service is reachable.*keypairs\.json/);
  });

  describe('with a bus that accepts the connection and never answers', () => {
    let dir: string;
    let silent: Server;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'silent-bus-'));
      silent = createServer((socket) => socket.on('data', () => {}));
      await new Promise<void>((done) => silent.listen(join(dir, 'bus'), done));
    });
    afterAll(async () => {
      await new Promise((done) => silent.close(done));
      await rm(dir, { recursive: true, force: true });
    });

    it('gives up after its timeout, and the process can still exit', async () => {
      // keytar itself would block a worker thread for good here (and with it Node's exit): the probe spares it.
      const result = await runNodeScript(script, ['unavailable', SERVICE, '300'], {
        DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(dir, 'bus')}`,
      });
      const out = output(result);
      expectAllUnavailable(out, /session bus at .*bus did not answer within 300 ms/);
      expect(out.list).toMatchObject({ error: { message: expect.stringMatching(/did not answer/) } });
    });
  });
});
