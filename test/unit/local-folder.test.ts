import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FdFile } from '../../src-main/core/downloads/disk/fd-file.ts';
import { nodeFileSystem } from '../../src-main/core/downloads/disk/file-system.ts';
import { isLocalFolder, learnFolder } from '../../src-main/core/downloads/disk/local-folder.ts';

/**
 * In a folder found to be on a local disk, a .part is opened, looked up and renamed without the thread pool;
 * the link checks are the same as through the pool (disk-open-part.test.ts runs them both ways), and no call
 * reaches a descriptor once it is closed.
 */
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'local-folder-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('which folders are local', () => {
  it('a temporary folder is, once looked at; /proc and folders not looked at are not', async () => {
    expect(isLocalFolder(dir)).toBe(false);
    await learnFolder(dir);
    expect(isLocalFolder(dir)).toBe(true);
    await learnFolder('/proc');
    expect(isLocalFolder('/proc')).toBe(false);
    await learnFolder(join(dir, 'missing'));
    expect(isLocalFolder(join(dir, 'missing'))).toBe(false);
  });

  it('the folder check made before every download learns it', async () => {
    const folder = join(dir, 'downloads');
    await nodeFileSystem.mkdir(folder);
    expect(isLocalFolder(folder)).toBe(true);
  });
});

describe('a local folder', () => {
  beforeEach(async () => {
    await learnFolder(dir);
  });

  it('creates a new .part in the call itself, and renames it there too', async () => {
    const part = join(dir, 'a.part');
    const opening = nodeFileSystem.open(part, 'rw');
    // Made before the promise is awaited: no hand-off to a pool thread.
    expect(existsSync(part)).toBe(true);
    const file = await opening;
    expect(file).toBeInstanceOf(FdFile);
    expect(file.sizeAtOpen).toBe(0);
    await file.write(Buffer.from('bytes'), 0, 5, 0);
    await file.sync();
    await file.close();
    const renaming = nodeFileSystem.rename(part, join(dir, 'a'));
    expect(existsSync(join(dir, 'a'))).toBe(true);
    await renaming;
    expect(await readFile(join(dir, 'a'), 'utf8')).toBe('bytes');
    expect(await nodeFileSystem.stat(join(dir, 'a'))).toMatchObject({ size: 5, isFile: true, isLink: false });
    expect(await nodeFileSystem.stat(join(dir, 'gone'))).toBeUndefined();
  });

  it('makes the folder again when it went since it was learned', async () => {
    const folder = join(dir, 'downloads');
    await nodeFileSystem.mkdir(folder);
    await rm(folder, { recursive: true });
    const file = await nodeFileSystem.open(join(folder, 'x.part'), 'rw');
    await file.close();
    expect((await stat(join(folder, 'x.part'))).isFile()).toBe(true);
  });
});

describe('FdFile', () => {
  it('closes only after the calls under way, and refuses calls once closing', async () => {
    await learnFolder(dir);
    const file = await nodeFileSystem.open(join(dir, 'c.part'), 'rw');
    const big = Buffer.alloc(8 * 1024 * 1024, 7);
    const writing = file.write(big, 0, big.length, 0);
    const closing = file.close();
    await expect(file.write(big, 0, 1, 0)).rejects.toMatchObject({ code: 'EBADF' });
    expect(await writing).toEqual({ bytesWritten: big.length });
    await closing;
    await file.close();
    expect((await stat(join(dir, 'c.part'))).size).toBe(big.length);
    await expect(file.sync()).rejects.toMatchObject({ code: 'EBADF' });
  });
});
