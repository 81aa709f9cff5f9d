import { describe, expect, it } from 'vitest';
import { KeychainStore, type Keytar } from '../../src-main/core/auth/keychain-store.ts';
import { appErrorOf } from '../support/app-error.ts';

/** keytar's behaviour on a working keychain, kept in a Map: service -> account -> password. */
function memoryKeytar(): Keytar & { items: Map<string, Map<string, string>>; calls: number } {
  const items = new Map<string, Map<string, string>>();
  const of = (service: string): Map<string, string> => {
    let accounts = items.get(service);
    if (!accounts) {
      accounts = new Map();
      items.set(service, accounts);
    }
    return accounts;
  };
  const fake = {
    items,
    calls: 0,
    getPassword: async (s: string, a: string) => {
      fake.calls++;
      return of(s).get(a) ?? null;
    },
    setPassword: async (s: string, a: string, p: string) => {
      fake.calls++;
      of(s).set(a, p);
    },
    deletePassword: async (s: string, a: string) => {
      fake.calls++;
      return of(s).delete(a);
    },
    findCredentials: async (s: string) => {
      fake.calls++;
      return [...of(s)].map(([account, password]) => ({ account, password }));
    },
  };
  return fake;
}

const noProbe = async () => undefined;
const profile = {
  name: 'lab',
  server: 'https://data.4dnucleome.org',
  keyId: 'ABCDEFGH',
  addedAt: '2026-01-01',
};
const SECRET = 'abcdefghijklmnop';

describe('KeychainStore over keytar', () => {
  it('keeps one JSON record per profile and lists profiles without secrets', async () => {
    const keytar = memoryKeytar();
    const store = new KeychainStore({
      service: 'Test Service',
      probe: noProbe,
      loadKeytar: async () => keytar,
    });
    await store.save(profile, SECRET);
    await store.save(
      { ...profile, name: 'another', lastTest: { ok: true, at: 'now', email: 'a@b.c' } },
      'zz',
    );
    keytar.items.get('Test Service')?.set('foreign', 'plain password from another tool');

    expect(JSON.parse(keytar.items.get('Test Service')?.get('lab') ?? '')).toEqual({
      v: 1,
      server: profile.server,
      keyId: profile.keyId,
      secret: SECRET,
      addedAt: profile.addedAt,
    });
    const listed = await store.list();
    expect(listed.map((p) => p.name)).toEqual(['another', 'lab']);
    expect(JSON.stringify(listed)).not.toContain(SECRET);
    expect(listed[0]?.lastTest).toEqual({ ok: true, at: 'now', email: 'a@b.c' });
    expect(await store.get('lab')).toEqual({ ...profile, secret: SECRET });
    expect(await store.get('foreign')).toBeUndefined();
    expect(await store.get('missing')).toBeUndefined();
    expect(await store.remove('lab')).toBe(true);
    expect(await store.remove('lab')).toBe(false);
    expect(await store.status()).toEqual({ available: true });
  });

  it('turns a module that will not load into keychain-unavailable, once', async () => {
    let loads = 0;
    const store = new KeychainStore({
      probe: noProbe,
      loadKeytar: async () => {
        loads++;
        throw new Error('libsecret-1.so.0: cannot open shared object file');
      },
    });
    const status = await store.status();
    expect(status.available).toBe(false);
    expect(status.message).toMatch(/native module could not be loaded: libsecret-1\.so\.0/);
    expect(status.message).toMatch(/keypairs\.json/);
    expect((await appErrorOf(store.list())).code).toBe('keychain-unavailable');
    expect(loads).toBe(1);
  });

  it('names a locked keyring and a missing session bus plainly', async () => {
    const failing = (message: string): Keytar => ({
      ...memoryKeytar(),
      setPassword: async () => {
        throw new Error(message);
      },
      findCredentials: async () => {
        throw new Error(message);
      },
    });
    const locked = new KeychainStore({
      probe: noProbe,
      loadKeytar: async () => failing('Cannot create an item in a locked collection'),
    });
    const error = await appErrorOf(locked.save(profile, SECRET));
    expect(error.code).toBe('keychain-unavailable');
    expect(error.message).toBe(
      'The system keychain is not available (the keyring is locked: unlock it, then try again); ' +
        'keys can be read from a keypairs.json file instead (4dn-dl --keypairs FILE, or ~/keypairs.json).',
    );
    const noBus = new KeychainStore({
      loadKeytar: async () => failing('Cannot autolaunch D-Bus without X11 $DISPLAY'),
    });
    expect((await noBus.status()).message).toMatch(/no Secret Service is reachable on the D-Bus session bus/);
  });

  it('gives up on a call that never answers and adds none while it is pending', async () => {
    const keytar = memoryKeytar();
    let release: () => void = () => {};
    const hung = new Promise<void>((resolve) => {
      release = resolve;
    });
    let hungCalls = 0;
    const store = new KeychainStore({
      probe: noProbe,
      timeoutMs: 50,
      loadKeytar: async () => ({
        ...keytar,
        findCredentials: async (service) => {
          hungCalls++;
          await hung;
          return keytar.findCredentials(service);
        },
      }),
    });
    const first = await appErrorOf(store.list());
    expect(first.code).toBe('keychain-unavailable');
    expect(first.message).toMatch(/did not answer within 50 ms/);
    const second = await appErrorOf(store.get('lab'));
    expect(second.message).toMatch(/has not answered an earlier request yet/);
    expect(keytar.calls).toBe(0);
    expect(hungCalls).toBe(1);

    release();
    await hung;
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(await store.get('lab')).toBeUndefined();
    expect(keytar.calls).toBe(2); // the late findCredentials, then this get
  });

  it('asks keytar nothing while the probe finds the bus silent, and probes a live bus once', async () => {
    const keytar = memoryKeytar();
    const reasons: Array<string | undefined> = [
      'the D-Bus session bus at /run/bus did not answer within 2000 ms',
    ];
    let probes = 0;
    const store = new KeychainStore({
      loadKeytar: async () => keytar,
      probe: async () => {
        probes++;
        return reasons.shift();
      },
    });
    const status = await store.status();
    expect(status).toEqual({
      available: false,
      message: expect.stringContaining('(the D-Bus session bus at /run/bus did not answer within 2000 ms)'),
    });
    expect(keytar.calls).toBe(0);
    expect(await store.status()).toEqual({ available: true });
    await store.list();
    expect(probes).toBe(2);
    expect(keytar.calls).toBe(2);
  });
});
