import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../src-main/core/auth/memory-store.ts';
import { systemFolderWarning } from '../../src-main/core/downloads/disk/system-folders.ts';
import { createServices, type Services } from '../../src-main/core/services.ts';

/** folder:check through the router, on the real file system: what Add and Settings ask before queueing or saving. */
let root: string;
let services: Services;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'folder-check-'));
  services = await createServices({
    dataDir: join(root, 'data'),
    host: 'web',
    credentialStore: createMemoryStore(),
    withoutQueue: true,
  });
});
afterAll(async () => {
  await services.close();
  await rm(root, { recursive: true, force: true });
});

describe('folder:check', () => {
  it('accepts a folder that can be made, and makes nothing', async () => {
    const result = await services.router.call('folder:check', { dir: join(root, 'new', 'sub') });
    expect(result).toEqual({
      ok: true,
      value: { ok: true, dir: join(root, 'new', 'sub'), exists: false, warning: null },
    });
    expect(await readdir(root)).toEqual([]);
  });

  it('refuses /proc/nope (the folder that wedged the queue) with why', async () => {
    const result = await services.router.call('folder:check', { dir: '/proc/nope' });
    expect(result).toMatchObject({
      ok: true,
      value: {
        ok: false,
        dir: '/proc/nope',
        problem: 'cannot-create',
        message: expect.stringContaining('Cannot create /proc/nope'),
      },
    });
  });

  it('refuses a relative path and a file standing in the way', async () => {
    await writeFile(join(root, 'a-file'), 'x');
    expect(await services.router.call('folder:check', { dir: 'relative/path' })).toMatchObject({
      value: { ok: false, problem: 'not-absolute', message: expect.stringContaining('not a full path') },
    });
    expect(await services.router.call('folder:check', { dir: join(root, 'a-file', 'x') })).toMatchObject({
      value: { ok: false, problem: 'not-a-folder' },
    });
  });

  it('checks the download folder from settings when given none', async () => {
    const result = await services.router.call('folder:check', {});
    expect(result).toMatchObject({ ok: true, value: { ok: true } });
  });
});

describe('systemFolderWarning', () => {
  it('names system folders on each platform and leaves ordinary ones alone', () => {
    expect(systemFolderWarning('/etc', 'linux')).toContain('/etc is inside /etc, a system folder');
    expect(systemFolderWarning('/usr/local/data', 'linux')).toContain('inside /usr');
    expect(systemFolderWarning('/etcetera', 'linux')).toBeNull();
    expect(systemFolderWarning('/home/me/4dn', 'linux')).toBeNull();
    expect(systemFolderWarning('c:\\windows\\temp', 'win32')).toContain('inside C:\\Windows');
    expect(systemFolderWarning('D:\\data', 'win32')).toBeNull();
  });
});
