import { link, mkdtemp, open, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FdFile } from '../../src-main/core/downloads/disk/fd-file.ts';
import { nodeFileSystem } from '../../src-main/core/downloads/disk/file-system.ts';
import { learnFolder } from '../../src-main/core/downloads/disk/local-folder.ts';

/**
 * A new .part is created in one open (O_CREAT | O_EXCL, so no fstat is needed), an existing one is opened with
 * O_NOFOLLOW and judged by an fstat, and the download folder is made once a second, not once per file: what
 * that must not change.
 */
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'open-part-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const modes: [string, boolean][] = [['through the thread pool', false]];
// Only Linux's statfs names the file system type; elsewhere every folder goes through the pool.
if (process.platform === 'linux') modes.push(['on a local disk, without the pool (local-folder.ts)', true]);

describe.each(modes)('%s', (_mode, local) => {
  beforeEach(async () => {
    if (local) await learnFolder(dir);
  });

  it('opens the kind of file the folder calls for', async () => {
    const file = await nodeFileSystem.open(join(dir, 'kind.part'), 'rw');
    expect(file instanceof FdFile).toBe(local);
    await file.close();
  });

  it('creates a missing .part empty and opens an existing one without truncating it', async () => {
    const fresh = await nodeFileSystem.open(join(dir, 'a.part'), 'rw');
    expect((await fresh.stat()).size).toBe(0);
    await fresh.close();
    await writeFile(join(dir, 'b.part'), 'kept bytes');
    const existing = await nodeFileSystem.open(join(dir, 'b.part'), 'rw');
    expect((await existing.stat()).size).toBe(10);
    await existing.close();
    expect(await readFile(join(dir, 'b.part'), 'utf8')).toBe('kept bytes');
  });

  it('refuses a .part that is a link, dangling or not, or a second name of another file, writing nothing', async () => {
    const victim = join(dir, 'victim');
    await writeFile(victim, 'not yours');
    await symlink(victim, join(dir, 'to-file.part'));
    await symlink(join(dir, 'nowhere'), join(dir, 'dangling.part'));
    await link(victim, join(dir, 'hard.part'));
    for (const name of ['to-file.part', 'dangling.part', 'hard.part']) {
      await expect(nodeFileSystem.open(join(dir, name), 'rw'), name).rejects.toMatchObject({
        code: 'path-unsafe',
      });
    }
    await expect(stat(join(dir, 'nowhere'))).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await readFile(victim, 'utf8')).toBe('not yours');
  });
});

it('creates a new .part without an fstat, and judges an existing one with one', async () => {
  const probe = await open(join(dir, 'probe'), 'w');
  const stat = vi.spyOn(Object.getPrototypeOf(probe), 'stat');
  await probe.close();
  try {
    const fresh = await nodeFileSystem.open(join(dir, 'new.part'), 'rw');
    expect(fresh.sizeAtOpen).toBe(0);
    await fresh.close();
    expect(stat).toHaveBeenCalledTimes(0);
    await writeFile(join(dir, 'old.part'), 'kept');
    const existing = await nodeFileSystem.open(join(dir, 'old.part'), 'rw');
    expect(existing.sizeAtOpen).toBe(4);
    await existing.close();
    expect(stat).toHaveBeenCalledTimes(1);
  } finally {
    stat.mockRestore();
  }
});

it('makes a folder once a second, and a .part opened after its folder went makes it again', async () => {
  const folder = join(dir, 'downloads');
  await nodeFileSystem.mkdir(folder);
  await rm(folder, { recursive: true });
  // The answer of a moment ago is reused: nothing is asked of the disk.
  await nodeFileSystem.mkdir(folder);
  await expect(stat(folder)).rejects.toMatchObject({ code: 'ENOENT' });
  const part = await nodeFileSystem.open(join(folder, 'x.part'), 'rw');
  await part.close();
  expect((await stat(join(folder, 'x.part'))).isFile()).toBe(true);
});
