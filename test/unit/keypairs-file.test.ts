import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  defaultKeypairsPaths,
  expandHome,
  isMissingKeypairsFile,
  parseKeypairs,
  readKeypairs,
} from '../../src-main/core/auth/keypairs-file.ts';
import { appErrorOf } from '../support/app-error.ts';

const SECRET = 'abcdefghijklmnop';

describe('parseKeypairs', () => {
  it('reads the portal format, strips the trailing slash and keeps several entries', () => {
    const text = JSON.stringify({
      default: { key: 'ABCDEFGH', secret: SECRET, server: 'https://data.4dnucleome.org/' },
      local: { key: 'LOCALKEY', secret: 'qrstuvwxyzabcdef', server: 'http://127.0.0.1:8000' },
    });
    const file = parseKeypairs(text, 'keypairs.json');
    expect(file.entries).toEqual({
      default: { keyId: 'ABCDEFGH', secret: SECRET, server: 'https://data.4dnucleome.org' },
      local: { keyId: 'LOCALKEY', secret: 'qrstuvwxyzabcdef', server: 'http://127.0.0.1:8000' },
    });
    expect(file.rejected).toEqual([]);
  });

  it('accepts a byte order mark and ignores extra fields', () => {
    const text = `\uFEFF${JSON.stringify({ data: { key: 'K', secret: 'S', server: 'https://x.org', note: 1 } })}`;
    expect(parseKeypairs(text, 'f').entries.data).toEqual({
      keyId: 'K',
      secret: 'S',
      server: 'https://x.org',
    });
  });

  it('reports malformed JSON with line and column and never quotes the text', async () => {
    const text = `{\n  "default": {\n    "key": "ABCDEFGH",\n    "secret": ${SECRET}\n  }\n}`;
    const error = await appErrorOf(() => parseKeypairs(text, '~/keypairs.json'));
    expect(error.code).toBe('keypairs-invalid');
    expect(error.message).toBe('~/keypairs.json is not valid JSON (line 4, column 15)');
    expect(error.message).not.toContain(SECRET);
  });

  it('reports a truncated and an empty file', async () => {
    expect((await appErrorOf(() => parseKeypairs('{"default": {', 'f'))).message).toMatch(/ends before/);
    expect((await appErrorOf(() => parseKeypairs(' \n', 'f'))).message).toBe('f is empty');
  });

  it('refuses a top level that is not an object of entries', async () => {
    for (const text of ['[]', '"x"', '42', 'null']) {
      const error = await appErrorOf(() => parseKeypairs(text, 'f'));
      expect(error.code).toBe('keypairs-invalid');
      expect(error.message).toMatch(/must be a JSON object of named entries/);
    }
  });

  it('rejects entries with missing fields or wrong types, keeping the good ones', () => {
    const text = JSON.stringify({
      good: { key: 'K', secret: SECRET, server: 'https://x.org' },
      nokey: { secret: SECRET, server: 'https://x.org' },
      numbers: { key: 12, secret: ['no'], server: 'https://x.org' },
      blank: { key: 'K', secret: '   ', server: 'https://x.org' },
      badserver: { key: 'K', secret: SECRET, server: 'ftp://x.org' },
      withpath: { key: 'K', secret: SECRET, server: 'https://x.org/some/path' },
      notobject: 'K:S',
    });
    const file = parseKeypairs(text, 'f');
    expect(Object.keys(file.entries)).toEqual(['good']);
    expect(Object.fromEntries(file.rejected.map((r) => [r.name, r.reason]))).toEqual({
      nokey: 'missing "key"',
      numbers: '"key" must be a string, not a number; "secret" must be a string, not a list',
      blank: '"secret" is blank',
      badserver: '"server": "ftp://x.org" must start with https:// (or http:// for a local server)',
      withpath: '"server": "https://x.org/some/path" must be a site address only, such as https://x.org',
      notobject: 'must be an object with "key", "secret" and "server"',
    });
    expect(JSON.stringify(file.rejected)).not.toContain(SECRET);
  });

  it('does not echo a server address that carries a password', () => {
    const file = parseKeypairs(
      JSON.stringify({ a: { key: 'K', secret: SECRET, server: `https://K:${SECRET}@x.org/` } }),
      'f',
    );
    expect(file.rejected[0]?.reason).toBe(
      '"server": the server address must not contain a user name or password',
    );
  });

  it('keeps an entry named __proto__ as an ordinary entry', () => {
    const file = parseKeypairs('{"__proto__": {"key": "K", "secret": "S", "server": "https://x.org"}}', 'f');
    expect(Object.hasOwn(file.entries, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(file.entries)).toBe(Object.prototype);
  });
});

describe('readKeypairs', () => {
  let home: string;
  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'keypairs-'));
  });
  afterAll(async () => {
    await rm(home, { recursive: true, force: true });
  });

  const entry = { default: { key: 'ABCDEFGH', secret: SECRET, server: 'https://data.4dnucleome.org/' } };

  it('expands ~ and reads a private file without warnings', async () => {
    await writeFile(join(home, 'keypairs.json'), JSON.stringify(entry), { mode: 0o600 });
    const file = await readKeypairs('~/keypairs.json', { home });
    expect(file.entries.default?.server).toBe('https://data.4dnucleome.org');
    expect(file.warnings).toEqual([]);
  });

  it.skipIf(process.platform === 'win32')(
    'warns, without the secret, when others can read the file',
    async () => {
      const path = join(home, 'open.json');
      await writeFile(path, JSON.stringify(entry));
      await chmod(path, 0o644);
      const file = await readKeypairs(path);
      expect(file.warnings).toEqual([`${path} can be read by other users (mode 644): run chmod 600 ${path}`]);
      await chmod(path, 0o640);
      expect((await readKeypairs(path)).warnings).toHaveLength(1);
      expect(JSON.stringify(file.warnings)).not.toContain(SECRET);
    },
  );

  it('reports a missing file, a folder and broken JSON as keypairs-invalid', async () => {
    const missing = await appErrorOf(() => readKeypairs('~/nope.json', { home }));
    expect(missing.code).toBe('keypairs-invalid');
    expect(missing.message).toBe('No keypairs file at ~/nope.json');
    expect(isMissingKeypairsFile(missing)).toBe(true);

    await mkdir(join(home, 'dir.json'));
    const folder = await appErrorOf(() => readKeypairs(join(home, 'dir.json')));
    expect(folder.message).toMatch(/is a folder/);
    expect(isMissingKeypairsFile(folder)).toBe(false);

    await writeFile(join(home, 'broken.json'), '{"default": }', { mode: 0o600 });
    const broken = await appErrorOf(() => readKeypairs('~/broken.json', { home }));
    expect(broken.message).toBe('~/broken.json is not valid JSON (line 1, column 13)');
  });

  it('reads ~/.fourfront-keys.json, keyed by environment name', async () => {
    await writeFile(
      join(home, '.fourfront-keys.json'),
      JSON.stringify({ 'fourfront-webprod': entry.default, data: { ...entry.default, key: 'DATAKEY1' } }),
      { mode: 0o600 },
    );
    const [, fourfront] = defaultKeypairsPaths(home);
    const file = await readKeypairs(fourfront as string);
    expect(Object.keys(file.entries)).toEqual(['fourfront-webprod', 'data']);
    expect(file.entries.data?.keyId).toBe('DATAKEY1');
  });
});

describe('expandHome', () => {
  it('expands only a leading ~', () => {
    expect(expandHome('~', '/h')).toBe('/h');
    expect(expandHome('~/a/b.json', '/h')).toBe(join('/h', 'a/b.json'));
    expect(expandHome('/x/~/y', '/h')).toBe('/x/~/y');
    expect(expandHome('~other/y', '/h')).toBe('~other/y');
  });
});
