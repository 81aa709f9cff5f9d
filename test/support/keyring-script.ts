/**
 * Runs KeychainStore against whatever keychain this process can reach and prints one JSON line of results.
 * Run by node directly (type stripping) from test/integration/keychain.test.ts, inside runWithKeyring or not.
 *   node keyring-script.ts roundtrip SERVICE
 *   node keyring-script.ts save SERVICE NAME SECRET
 *   node keyring-script.ts unavailable SERVICE TIMEOUT_MS
 */
import { execFileSync } from 'node:child_process';
import { KeychainStore } from '../../src-main/core/auth/keychain-store.ts';
import { toErrorInfo } from '../../src-shared/domain/errors.ts';

const [scenario = '', service = 'keyring-script', ...rest] = process.argv.slice(2);
const profile = (name: string) => ({
  name,
  server: 'http://127.0.0.1:8000',
  keyId: 'ABCDEFGH',
  addedAt: '2026-11-20T14:05:00.000Z',
});

/** A call's outcome as data: its value, or its error's code and message. */
async function outcome(run: () => Promise<unknown>): Promise<unknown> {
  try {
    return { value: (await run()) ?? null };
  } catch (error) {
    return { error: toErrorInfo(error) };
  }
}

/** The item as another Secret Service client (libsecret's secret-tool) sees it, or null when absent. */
function lookup(account: string): unknown {
  try {
    return JSON.parse(
      execFileSync('secret-tool', ['lookup', 'service', service, 'account', account], { encoding: 'utf8' }),
    );
  } catch (error) {
    // A missing tool is not a missing item: say which package to install instead of answering null.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error('secret-tool is missing: install the Debian package libsecret-tools');
    }
    return null;
  }
}

async function main(): Promise<unknown> {
  if (scenario === 'roundtrip') {
    const store = new KeychainStore({ service });
    const secret = 'roundtripsecret1';
    return {
      status: await store.status(),
      emptyList: await outcome(() => store.list()),
      saveLab: await outcome(() => store.save(profile('lab'), secret)),
      saveHome: await outcome(() => store.save(profile('home'), 'othersecret00001')),
      list: await outcome(() => store.list()),
      get: await outcome(() => store.get('lab')),
      seenBySecretTool: lookup('lab'),
      update: await outcome(() =>
        store.save({ ...profile('lab'), lastTest: { ok: true, at: 'then' } }, secret),
      ),
      afterUpdate: await outcome(() => store.get('lab')),
      remove: await outcome(() => store.remove('lab')),
      removeAgain: await outcome(() => store.remove('lab')),
      getRemoved: await outcome(() => store.get('lab')),
      goneForSecretTool: lookup('lab'),
      finalList: await outcome(() => store.list()),
    };
  }
  if (scenario === 'save') {
    const [name = 'lab', secret = 'savedsecret00001'] = rest;
    const store = new KeychainStore({ service });
    return {
      save: await outcome(() => store.save(profile(name), secret)),
      get: await outcome(() => store.get(name)),
    };
  }
  if (scenario === 'unavailable') {
    const store = new KeychainStore({ service, timeoutMs: Number(rest[0] ?? 2000) });
    return {
      status: await store.status(),
      list: await outcome(() => store.list()),
      get: await outcome(() => store.get('lab')),
      save: await outcome(() => store.save(profile('lab'), 'neverstored00001')),
      remove: await outcome(() => store.remove('lab')),
    };
  }
  throw new Error(`unknown scenario ${scenario}`);
}

const result = await main();
process.stdout.write(`${JSON.stringify(result)}\n`);
// A keychain call that never answered still holds a worker thread; it must not keep this process alive.
process.exit(0);
