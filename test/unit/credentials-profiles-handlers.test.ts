import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CredentialStore, TestKey } from '../../src-main/core/auth/credential-store.ts';
import { createMemoryStore, createUnavailableStore } from '../../src-main/core/auth/memory-store.ts';
import { EventHub } from '../../src-main/core/events.ts';
import { createProfilesHandlers } from '../../src-main/core/handlers/profiles.ts';
import type { Credentials } from '../../src-main/core/http/credentials.ts';
import type { AppError } from '../../src-shared/domain/errors.ts';
import { type InvokeChannel, type InvokeInput, invoke } from '../../src-shared/ipc/contract.ts';
import { appErrorOf } from '../support/app-error.ts';

const GOOD = { keyId: 'GOODKEY1', secret: 'goodsecretgoodse' };
const FILE_SECRET = 'filesecretfilese';
const SECRETS = [GOOD.secret, FILE_SECRET, 'badsecretbadsecr', 'importsecret0001', 'importsecret0002'];
const NOW = new Date('2026-11-20T14:05:00.000Z');

/** The portal's answer to /session-properties, decided by key; a `down` server cannot be reached. */
const testKey: TestKey = async (c: Credentials) => {
  if (c.server.includes('down'))
    return { ok: false, code: 'network', message: 'Could not reach down.example.' };
  if (c.secret === GOOD.secret || c.secret === FILE_SECRET) return { ok: true, email: 'ada@example.org' };
  return { ok: false, code: 'auth-rejected', message: `Key rejected by ${new URL(c.server).host}.` };
};

let dir: string;
let outputs: unknown[];
let events: EventHub;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'profiles-'));
  outputs = [];
  events = new EventHub();
  events.on('profiles:changed', (payload) => outputs.push({ event: payload }));
});
afterEach(async () => {
  // Whatever a test did, nothing that came out of a handler or an event may hold a secret.
  const text = JSON.stringify(outputs);
  for (const secret of SECRETS) expect(text).not.toContain(secret);
  await rm(dir, { recursive: true, force: true });
});

function setup(options: { store?: CredentialStore; keypairsPaths?: string[]; tester?: TestKey } = {}) {
  const store = options.store ?? createMemoryStore();
  const handlers = createProfilesHandlers({
    store,
    testKey: options.tester ?? testKey,
    events,
    keypairsPaths: options.keypairsPaths ?? [],
    now: () => NOW,
  });
  /** Calls a handler as an adapter does: input parsed by the contract, output checked against it. */
  async function call<
    C extends 'profiles:list' | 'profiles:add' | 'profiles:test' | 'profiles:remove' | 'profiles:import',
  >(channel: C, input: InvokeInput<C>) {
    const handler = handlers[channel] as (input: unknown) => Promise<unknown>;
    const output = await handler(invoke[channel as InvokeChannel].input.parse(input));
    outputs.push(output);
    return invoke[channel].output.parse(output) as Awaited<ReturnType<(typeof handlers)[C]>>;
  }
  return { store, call };
}

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const error = await appErrorOf(promise);
  outputs.push(error.toInfo());
  return error;
}

async function keyFile(data: unknown): Promise<string> {
  const path = join(dir, 'keypairs.json');
  await writeFile(path, JSON.stringify(data), { mode: 0o600 });
  return path;
}

describe('profiles:add', () => {
  it('saves the key in the store and answers with the profile only', async () => {
    const { store, call } = setup();
    const out = await call('profiles:add', {
      name: ' lab ',
      server: 'https://data.4dnucleome.org/',
      ...GOOD,
    });
    expect(out).toEqual({
      profile: {
        name: 'lab',
        server: 'https://data.4dnucleome.org',
        keyId: 'GOODKEY1',
        addedAt: NOW.toISOString(),
        source: 'keychain',
      },
    });
    expect(await store.get('lab')).toMatchObject({
      secret: GOOD.secret,
      server: 'https://data.4dnucleome.org',
    });
    expect(outputs.at(-2)).toEqual({ event: { profiles: [out.profile] } });
  });

  it('tests first when asked and records the result', async () => {
    const { store, call } = setup();
    const out = await call('profiles:add', { name: 'lab', server: 'https://x.org', ...GOOD, test: true });
    expect(out.test).toEqual({ ok: true, email: 'ada@example.org' });
    expect(out.profile.lastTest).toEqual({ ok: true, at: NOW.toISOString(), email: 'ada@example.org' });
    expect((await store.get('lab'))?.lastTest?.email).toBe('ada@example.org');
  });

  it('refuses to save a key the server rejects', async () => {
    const { store, call } = setup();
    const input = {
      name: 'lab',
      server: 'https://x.org',
      keyId: 'BADKEY01',
      secret: 'badsecretbadsecr',
      test: true,
    };
    const error = await rejection(call('profiles:add', input));
    expect(error.code).toBe('auth-rejected');
    expect(error.message).toBe('Key rejected by x.org. It was not saved.');
    expect(await store.list()).toEqual([]);
  });

  it('saves a key it could not test because the server was unreachable, and says so', async () => {
    const { store, call } = setup();
    const out = await call('profiles:add', {
      name: 'lab',
      server: 'https://down.example',
      ...GOOD,
      test: true,
    });
    expect(out.test).toEqual({ ok: false, code: 'network', message: 'Could not reach down.example.' });
    expect(await store.get('lab')).toMatchObject({ name: 'lab', server: 'https://down.example' });
  });

  it('refuses a server that is not a site address', async () => {
    const { call } = setup();
    const error = await rejection(
      call('profiles:add', { name: 'lab', server: 'https://x.org/path', ...GOOD }),
    );
    expect(error.code).toBe('bad-input');
  });

  it('reports an unavailable keychain as such', async () => {
    const { call } = setup({ store: createUnavailableStore('No keychain: use keypairs.json.') });
    const error = await rejection(call('profiles:add', { name: 'lab', server: 'https://x.org', ...GOOD }));
    expect(error.toInfo()).toEqual({
      code: 'keychain-unavailable',
      message: 'No keychain: use keypairs.json.',
    });
  });
});

describe('profiles:list', () => {
  it('lists keychain profiles, then key-file entries the keychain does not shadow', async () => {
    const path = await keyFile({
      lab: { key: 'FILEKEY1', secret: FILE_SECRET, server: 'https://a.org/' },
      default: { key: 'FILEKEY2', secret: FILE_SECRET, server: 'https://b.org' },
      broken: { key: 'X' },
    });
    const { call } = setup({ keypairsPaths: [path, join(dir, 'missing.json')] });
    await call('profiles:add', { name: 'lab', server: 'https://x.org', ...GOOD });
    const out = await call('profiles:list', {});
    expect(out.keychain).toEqual({
      available: true,
      message: 'Keys are kept in memory for this session only (demo).',
    });
    expect(out.profiles).toEqual([
      {
        name: 'lab',
        server: 'https://x.org',
        keyId: 'GOODKEY1',
        addedAt: NOW.toISOString(),
        source: 'keychain',
      },
      { name: 'default', server: 'https://b.org', keyId: 'FILEKEY2', source: 'keypairs' },
    ]);
  });

  it('still lists key-file entries when the keychain is unavailable', async () => {
    const path = await keyFile({
      default: { key: 'FILEKEY2', secret: FILE_SECRET, server: 'https://b.org' },
    });
    const { call } = setup({ store: createUnavailableStore('No keychain here.'), keypairsPaths: [path] });
    const out = await call('profiles:list', {});
    expect(out.keychain).toEqual({ available: false, message: 'No keychain here.' });
    expect(out.profiles.map((p) => [p.name, p.source])).toEqual([['default', 'keypairs']]);
  });
});

describe('profiles:test', () => {
  it('tests a saved profile by name and remembers the outcome', async () => {
    const { store, call } = setup();
    await call('profiles:add', { name: 'lab', server: 'https://x.org', ...GOOD });
    expect(await call('profiles:test', { name: 'lab' })).toEqual({ ok: true, email: 'ada@example.org' });
    expect((await store.get('lab'))?.lastTest).toEqual({
      ok: true,
      at: NOW.toISOString(),
      email: 'ada@example.org',
    });
  });

  it('tests a key-file entry by name, and keeps its outcome for the list', async () => {
    const path = await keyFile({
      default: { key: 'FILEKEY2', secret: FILE_SECRET, server: 'https://b.org' },
    });
    const { call } = setup({ store: createUnavailableStore('No keychain here.'), keypairsPaths: [path] });
    expect(await call('profiles:test', { name: 'default' })).toEqual({ ok: true, email: 'ada@example.org' });
    expect((await call('profiles:list', {})).profiles[0]?.lastTest?.ok).toBe(true);
  });

  it('tests a key that is not saved, without saving it', async () => {
    const { store, call } = setup();
    const bad = { server: 'https://x.org/', keyId: 'BADKEY01', secret: 'badsecretbadsecr' };
    expect(await call('profiles:test', bad)).toEqual({
      ok: false,
      code: 'auth-rejected',
      message: 'Key rejected by x.org.',
    });
    expect(await store.list()).toEqual([]);
  });

  it('answers not-found for an unknown name', async () => {
    const { call } = setup();
    expect((await rejection(call('profiles:test', { name: 'nobody' }))).code).toBe('not-found');
  });

  it('strikes the secret from whatever a tester reports, and drops unknown fields', async () => {
    const leaky: TestKey = async (c) => {
      if (c.keyId === 'THROWS01') throw new Error(`socket closed while sending ${c.secret}`);
      return { ok: false, code: 'bad-response', message: `echo ${c.secret}`, extra: c.secret } as never;
    };
    const { call } = setup({ tester: leaky });
    const out = await call('profiles:test', { server: 'https://x.org', ...GOOD });
    expect(out).toEqual({ ok: false, code: 'bad-response', message: 'echo ***' });
    const thrown = await call('profiles:test', {
      server: 'https://x.org',
      keyId: 'THROWS01',
      secret: GOOD.secret,
    });
    expect(thrown).toEqual({
      ok: false,
      code: 'internal',
      message: 'Unexpected error: socket closed while sending ***',
    });
  });
});

describe('profiles:remove', () => {
  it('removes a saved profile once', async () => {
    const { store, call } = setup();
    await call('profiles:add', { name: 'lab', server: 'https://x.org', ...GOOD });
    expect(await call('profiles:remove', { name: 'lab' })).toEqual({ removed: true });
    expect(await call('profiles:remove', { name: 'lab' })).toEqual({ removed: false });
    expect(await store.get('lab')).toBeUndefined();
  });

  it('names the key file that still holds a profile of that name, which the app does not edit', async () => {
    const path = await keyFile({
      default: { key: 'FILEKEY1', secret: FILE_SECRET, server: 'https://data.4dnucleome.org' },
    });
    const { call } = setup({ keypairsPaths: [path] });
    await call('profiles:add', { name: 'default', server: 'https://x.org', ...GOOD });
    // The keychain item goes; the file's entry of the same name is what is listed (and used) now.
    expect(await call('profiles:remove', { name: 'default' })).toEqual({ removed: true, keypairsFile: path });
    expect((await call('profiles:list', {})).profiles).toMatchObject([
      { name: 'default', source: 'keypairs', keyId: 'FILEKEY1' },
    ]);
    expect(await call('profiles:remove', { name: 'default' })).toEqual({
      removed: false,
      keypairsFile: path,
    });
  });
});

describe('profiles:import', () => {
  const file = {
    default: { key: 'IMPORT01', secret: 'importsecret0001', server: 'https://data.4dnucleome.org/' },
    local: { key: 'IMPORT02', secret: 'importsecret0002', server: 'http://127.0.0.1:8000' },
    nosecret: { key: 'IMPORT03', server: 'https://x.org' },
    [`long${'x'.repeat(100)}`]: { key: 'IMPORT04', secret: 'importsecret0001', server: 'https://x.org' },
  };

  it('imports every good entry into the keychain and reports the rest', async () => {
    const { store, call } = setup();
    const out = await call('profiles:import', { path: await keyFile(file) });
    expect(out.imported.map((p) => [p.name, p.server, p.keyId, p.source])).toEqual([
      ['default', 'https://data.4dnucleome.org', 'IMPORT01', 'keychain'],
      ['local', 'http://127.0.0.1:8000', 'IMPORT02', 'keychain'],
    ]);
    expect(out.rejected).toEqual([
      { name: 'nosecret', reason: 'missing "secret"' },
      { name: `long${'x'.repeat(96)}`, reason: 'A profile name must be 1 to 100 characters.' },
    ]);
    expect((await store.get('local'))?.secret).toBe('importsecret0002');
  });

  it('imports a dropped file by its text', async () => {
    const { store, call } = setup();
    const out = await call('profiles:import', { text: JSON.stringify({ default: file.default }) });
    expect(out.imported).toHaveLength(1);
    expect((await store.get('default'))?.keyId).toBe('IMPORT01');
  });

  it('reports a broken file and an unavailable keychain as errors', async () => {
    const { call } = setup();
    const broken = await rejection(
      call('profiles:import', { text: '{"default": {"key": importsecret0001}}' }),
    );
    expect(broken.toInfo()).toEqual({
      code: 'keypairs-invalid',
      message: 'The dropped file is not valid JSON (line 1, column 21)',
    });
    const missing = await rejection(call('profiles:import', { path: join(dir, 'none.json') }));
    expect(missing.code).toBe('keypairs-invalid');

    const unavailable = setup({ store: createUnavailableStore('No keychain here.') });
    const error = await rejection(unavailable.call('profiles:import', { text: JSON.stringify(file) }));
    expect(error.code).toBe('keychain-unavailable');
  });
});
