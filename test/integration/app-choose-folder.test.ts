import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../src-main/core/auth/memory-store.ts';
import { createServices } from '../../src-main/core/services.ts';

/** app:choose-folder through the router: the desktop's picker when the host has one, a clear error otherwise. */
let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'choose-folder-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('app:choose-folder', () => {
  it('asks the host picker, starting at the current folder, and passes on a cancel as null', async () => {
    const asked: Array<{ current?: string; title?: string }> = [];
    const answers = ['/mnt/lab/4dn', null];
    const services = await createServices({
      dataDir: join(root, 'desktop'),
      host: 'electron',
      credentialStore: createMemoryStore(),
      withoutQueue: true,
      chooseFolder: async (options) => {
        asked.push(options);
        return answers.shift() ?? null;
      },
    });
    try {
      expect(await services.router.call('app:choose-folder', { current: '/data' })).toEqual({
        ok: true,
        value: { path: '/mnt/lab/4dn' },
      });
      expect(await services.router.call('app:choose-folder', {})).toEqual({
        ok: true,
        value: { path: null },
      });
      expect(asked).toEqual([{ current: '/data' }, {}]);
    } finally {
      await services.close();
    }
  });

  it('tells the browser UI to type the path, since a web page has no folder picker', async () => {
    const services = await createServices({
      dataDir: join(root, 'web'),
      host: 'web',
      credentialStore: createMemoryStore(),
      withoutQueue: true,
    });
    try {
      const result = await services.router.call('app:choose-folder', {});
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.error.code).toBe('not-implemented');
        expect(result.error.message).toMatch(/type the folder path/);
      }
    } finally {
      await services.close();
    }
  });
});
