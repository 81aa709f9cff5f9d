import { execFileSync } from 'node:child_process';
import { closeSync, constants, existsSync, openSync, writeSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FdFile } from '../../src-main/core/downloads/disk/fd-file.ts';
import { nodeFileSystem } from '../../src-main/core/downloads/disk/file-system.ts';
import { isLocalFolder, learnFolder, mountOptions } from '../../src-main/core/downloads/disk/local-folder.ts';

/**
 * In a folder found to be on a local disk, a .part is opened, looked up and renamed without the thread pool;
 * the link checks are the same as through the pool (disk-open-part.test.ts runs them both ways), and no call
 * reaches a descriptor once it is closed. Linux only: elsewhere no folder is taken as local.
 */
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'local-folder-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe.runIf(process.platform === 'linux')('which folders are local', () => {
  it('a temporary folder is, once looked at; /proc and folders not looked at are not', async () => {
    expect(isLocalFolder(dir)).toBe(false);
    await learnFolder(dir);
    expect(isLocalFolder(dir)).toBe(true);
    await learnFolder('/proc');
    expect(isLocalFolder('/proc')).toBe(false);
    await learnFolder(join(dir, 'missing'));
    expect(isLocalFolder(join(dir, 'missing'))).toBe(false);
  });

  it('a verdict is trusted for two seconds: a call long after goes through the pool', async () => {
    await learnFolder(dir);
    expect(isLocalFolder(dir, Date.now() + 1000)).toBe(true);
    expect(isLocalFolder(dir, Date.now() + 2500)).toBe(false);
  });

  it('reads the options of the mount holding a folder: the last at the longest mount point above it', () => {
    const mountinfo = [
      '26 1 254:0 / / rw,relatime - ext4 /dev/vda rw,discard',
      '40 26 0:30 / /data rw,relatime - ext4 /dev/vdb rw,dirsync',
      '41 26 0:31 / /data/lab\\040one rw,relatime - xfs /dev/vdc rw,sync',
      '42 26 0:32 / /data/lab rw,noatime shared:1 - tmpfs tmpfs rw',
      '43 26 0:33 / /data/lab rw,nosuid - tmpfs tmpfs rw,size=4k',
      '',
    ].join('\n');
    expect(mountOptions(mountinfo, '/home/me')).toEqual(['rw', 'relatime', 'rw', 'discard']);
    expect(mountOptions(mountinfo, '/data/x')).toContain('dirsync');
    expect(mountOptions(mountinfo, '/data/lab one/x')).toContain('sync');
    expect(mountOptions(mountinfo, '/data/lab/x')).toEqual(['rw', 'nosuid', 'rw', 'size=4k']);
    expect(mountOptions(mountinfo, '/data/labs')).toContain('dirsync');
    expect(mountOptions('', '/x')).toBeUndefined();
  });

  it('a folder on a mount with dirsync or sync (creates and renames wait for the disk) is not local', async (context) => {
    const mount = join(dir, 'dirsync');
    await nodeFileSystem.mkdir(mount);
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'dirsync,size=1m', 'tmpfs', mount], { stdio: 'ignore' });
    } catch {
      // Mounting needs root (CI runs as root); a developer's machine may not allow it.
      if (process.env.CI === 'true') throw new Error('cannot mount a tmpfs for this test');
      context.skip();
    }
    try {
      await learnFolder(mount);
      expect(isLocalFolder(mount)).toBe(false);
    } finally {
      execFileSync('umount', [mount]);
    }
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

describe.runIf(process.platform === 'linux')('FdFile', () => {
  it('closes only after the calls under way, and refuses calls once closing', async () => {
    // A read of an empty pipe waits (on a pool thread) until something is written: the call under way.
    const fifo = join(dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    const file = new FdFile(openSync(fifo, constants.O_RDWR), { closeSynchronously: true });
    const reading = file.read(Buffer.alloc(4), 0, 4, -1);
    let closed = false;
    const closing = file.close().then(() => {
      closed = true;
    });
    await expect(file.sync()).rejects.toMatchObject({ code: 'EBADF' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(closed).toBe(false);
    const writer = openSync(fifo, constants.O_WRONLY);
    writeSync(writer, 'data');
    closeSync(writer);
    expect(await reading).toEqual({ bytesRead: 4 });
    await closing;
    expect(closed).toBe(true);
    await file.close();
    await expect(file.write(Buffer.alloc(1), 0, 1, 0)).rejects.toMatchObject({ code: 'EBADF' });
  });

  it('a call refused before it starts does not hold up close', async () => {
    await learnFolder(dir);
    const file = await nodeFileSystem.open(join(dir, 'd.part'), 'rw');
    await expect(file.read(Buffer.alloc(10), 0, 100, 0)).rejects.toThrow();
    await file.close();
  });
});
