import { chmod, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkFolder, makeFolder } from '../../src-main/core/downloads/disk/folder.ts';

let scratch: string;
beforeEach(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'folder-'));
});
afterEach(async () => {
  await chmod(scratch, 0o755).catch(() => {});
  await rm(scratch, { recursive: true, force: true });
});

describe('makeFolder', () => {
  it('makes every missing level', async () => {
    await makeFolder(join(scratch, 'a', 'b', 'c'));
    expect(await readdir(join(scratch, 'a', 'b'))).toEqual(['c']);
  });

  it('ends with a reason under /proc, where node mkdir -p never returns', async () => {
    await expect(makeFolder('/proc/nope/x')).rejects.toMatchObject({
      code: 'io-error',
      message: expect.stringContaining('Cannot create /proc/nope/x (at /proc/nope)'),
    });
  });

  it('names the file standing where a folder should be', async () => {
    await writeFile(join(scratch, 'file'), 'x');
    await expect(makeFolder(join(scratch, 'file', 'sub'))).rejects.toMatchObject({
      code: 'io-error',
      message: expect.stringContaining(`${join(scratch, 'file')} is a file, not a folder`),
    });
  });
});

describe('checkFolder', () => {
  it('accepts an existing or creatable folder and leaves nothing behind', async () => {
    expect(await checkFolder(scratch)).toEqual({ ok: true, exists: true });
    expect(await checkFolder(join(scratch, 'new', 'deeper'))).toEqual({ ok: true, exists: false });
    expect(await readdir(scratch)).toEqual([]);
  });

  it('refuses a relative path, /proc, a file and a path through a file', async () => {
    await writeFile(join(scratch, 'file'), 'x');
    expect(await checkFolder('relative/path')).toMatchObject({ ok: false, problem: 'not-absolute' });
    expect(await checkFolder('/proc/nope')).toMatchObject({ ok: false, problem: 'cannot-create' });
    expect(await checkFolder(join(scratch, 'file'))).toMatchObject({ ok: false, problem: 'not-a-folder' });
    expect(await checkFolder(join(scratch, 'file', 'x'))).toMatchObject({
      ok: false,
      problem: 'not-a-folder',
    });
  });

  it('refuses /sys, where creating a folder is not permitted', async () => {
    expect(await checkFolder('/sys/nope')).toMatchObject({ ok: false, problem: 'permission' });
  });
});
