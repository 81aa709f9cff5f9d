import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SettingsStore } from '../../src-main/core/settings-store.ts';
import { defaultSettings } from '../../src-shared/domain/settings.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'settings-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const open = () => SettingsStore.open({ dataDir: dir, downloadDir: '/downloads' });

describe('SettingsStore on a hostile or broken settings.json', () => {
  it('ignores keys that name Object.prototype members and keeps the real settings', async () => {
    await writeFile(
      join(dir, 'settings.json'),
      '{"constructor": 1, "toString": "x", "__proto__": {"concurrency": 99}, "hasOwnProperty": null, "concurrency": 2}',
    );
    const store = await open();
    expect(store.get()).toEqual({ ...defaultSettings('/downloads'), concurrency: 2 });
    expect(store.notice).toBeUndefined();
    expect(Object.hasOwn(store.get(), 'constructor')).toBe(false);
  });

  it('keeps a corrupt file aside, starts from defaults and says so', async () => {
    await writeFile(join(dir, 'settings.json'), '{"concurrency": 3,');
    const store = await open();
    expect(store.get()).toEqual(defaultSettings('/downloads'));
    const aside = (await readdir(dir)).filter((name) => name.startsWith('settings.json.corrupt-'));
    expect(aside).toHaveLength(1);
    expect(await readFile(join(dir, aside[0] as string), 'utf8')).toBe('{"concurrency": 3,');
    expect(store.notice).toContain(`it was kept as ${join(dir, aside[0] as string)}`);
    expect(store.notice).toContain('not valid JSON');
    // The next change writes a fresh file; the kept one stays.
    await store.update({ concurrency: 5 });
    expect(JSON.parse(await readFile(join(dir, 'settings.json'), 'utf8')).concurrency).toBe(5);
    expect((await readdir(dir)).filter((name) => name.startsWith('settings.json.corrupt-'))).toHaveLength(1);
  });

  it('keeps aside a file that is JSON but not an object', async () => {
    for (const text of ['null', '[1,2]', '"x"']) {
      await writeFile(join(dir, 'settings.json'), text);
      const store = await open();
      expect(store.get()).toEqual(defaultSettings('/downloads'));
      expect(store.notice).toMatch(/not a JSON object|not valid JSON/);
    }
  });
});
