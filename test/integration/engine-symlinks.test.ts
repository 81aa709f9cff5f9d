import { lstat, mkdir, readdir, readFile, readlink, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type FileSystem, nodeFileSystem } from '../../src-main/core/downloads/disk/file-system.ts';
import { makeFolder } from '../../src-main/core/downloads/disk/folder.ts';
import { type Harness, startHarness } from './engine-harness.ts';

/** The same calls through the thread pool: a folder never looked at by local-folder.ts is not taken as local. */
const poolOnly: FileSystem = { ...nodeFileSystem, mkdir: (dir) => makeFolder(dir) };

/**
 * Names planted as links in a shared download folder (another user of a lab's project directory): the download
 * must never write through them, rename them into place or read another file as the final one. The job fails
 * with 'path-unsafe' and nothing outside the folder changes. Both ways of calling the file system: synchronously
 * in a local folder (the temporary folder here), and through the pool.
 */
describe.each([
  ['a local folder', nodeFileSystem],
  ['through the thread pool', poolOnly],
])('links planted in the download folder (%s)', (_mode, fs) => {
  let h: Harness;
  let outside: string;
  const VICTIM = 'bytes of someone else, not to be touched\n';

  beforeAll(async () => {
    h = await startHarness({ portal: { files: 4 }, engine: { fs } });
    outside = join(h.root, 'outside');
    await mkdir(h.downloadDir, { recursive: true });
  });
  afterEach(async () => {
    await h.reset();
  });
  afterAll(async () => {
    await h?.close();
  });

  const released = () => h.portal.files.filter((f) => f.status === 'released');

  async function plantFileTarget(): Promise<string> {
    await mkdir(outside, { recursive: true });
    const victim = join(outside, `victim-${Date.now()}.txt`);
    await writeFile(victim, VICTIM);
    return victim;
  }

  async function plantFolderTarget(): Promise<string> {
    const folder = join(outside, `folder-${Date.now()}`);
    await mkdir(folder, { recursive: true });
    return folder;
  }

  it('a <name>.part linked to a file elsewhere: refused, the target unchanged, no link under the final name', async () => {
    const file = released()[0] as (typeof h.portal.files)[number];
    const victim = await plantFileTarget();
    const part = join(h.downloadDir, `${file.fileName}.part`);
    await symlink(victim, part);

    const [job] = await h.download([file.accession]);
    expect(job?.state).toBe('failed');
    expect(job?.error?.code).toBe('path-unsafe');
    expect(job?.error?.message).toContain(part);
    expect(await readFile(victim, 'utf8')).toBe(VICTIM);
    expect((await lstat(part)).isSymbolicLink()).toBe(true);
    expect(await readlink(part)).toBe(victim);
    const final = await lstat(join(h.downloadDir, file.fileName)).catch(() => undefined);
    expect(final?.isSymbolicLink() ?? false).toBe(false);
  });

  it('a final name linked to a file elsewhere: refused, neither read as the download nor replaced', async () => {
    const file = released()[1] as (typeof h.portal.files)[number];
    const victim = await plantFileTarget();
    const final = join(h.downloadDir, file.fileName);
    await symlink(victim, final);

    const [job] = await h.download([file.accession]);
    expect(job?.state).toBe('failed');
    expect(job?.error?.code).toBe('path-unsafe');
    expect(job?.error?.message).toContain(final);
    expect(await readFile(victim, 'utf8')).toBe(VICTIM);
    expect(await readlink(final)).toBe(victim);
    expect((await readdir(h.downloadDir)).filter((n) => n !== file.fileName)).toEqual([]);
  });

  it('a <name>.part or final name linked to a folder elsewhere: refused, that folder left empty', async () => {
    const [a, b] = released().slice(2) as Array<(typeof h.portal.files)[number]>;
    if (!a || !b) throw new Error('the sample portal has too few released files');
    const partTarget = await plantFolderTarget();
    const finalTarget = await plantFolderTarget();
    await symlink(partTarget, join(h.downloadDir, `${a.fileName}.part`));
    await symlink(finalTarget, join(h.downloadDir, b.fileName));

    const jobs = await h.download([a.accession, b.accession]);
    for (const job of jobs) {
      expect(job.state).toBe('failed');
      expect(job.error?.code).toBe('path-unsafe');
    }
    expect(await readdir(partTarget)).toEqual([]);
    expect(await readdir(finalTarget)).toEqual([]);
    expect((await readdir(h.downloadDir)).sort()).toEqual([b.fileName, `${a.fileName}.part`].sort());
  });
});
