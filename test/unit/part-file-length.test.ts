import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FileSystem, nodeFileSystem } from '../../src-main/core/downloads/disk/file-system.ts';
import { PartFile } from '../../src-main/core/downloads/disk/part-file.ts';
import { Semaphore } from '../../src-main/core/downloads/queue/semaphore.ts';

describe('PartFile length', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'part-length-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('takes the length the open saw, and truncates a new .part to 0 without a call', async () => {
    let stats = 0;
    let truncates = 0;
    const fs: FileSystem = {
      ...nodeFileSystem,
      async open(p, mode) {
        const file = await nodeFileSystem.open(p, mode);
        const [stat, truncate] = [file.stat.bind(file), file.truncate.bind(file)];
        file.stat = async () => {
          stats++;
          return stat();
        };
        file.truncate = async (length) => {
          truncates++;
          return truncate(length);
        };
        return file;
      },
    };
    await writeFile(join(dir, 'old.part'), Buffer.alloc(100, 1));
    const old = await PartFile.open(fs, join(dir, 'old.part'), new Semaphore(1));
    expect(await old.length()).toBe(100);
    await old.truncate(0);
    await old.close();
    const fresh = await PartFile.open(fs, join(dir, 'new.part'), new Semaphore(1));
    expect(await fresh.length()).toBe(0);
    await fresh.truncate(0);
    await fresh.close();
    expect({ stats, truncates }).toEqual({ stats: 0, truncates: 1 });
    expect((await stat(join(dir, 'old.part'))).size).toBe(0);
  });

  it('reads the length from disk once, then follows its own writes and truncations', async () => {
    const path = join(dir, 'x.part');
    await writeFile(path, Buffer.alloc(100, 1));
    let stats = 0;
    const fs: FileSystem = {
      ...nodeFileSystem,
      async open(p, mode) {
        const file = await nodeFileSystem.open(p, mode);
        // A file system that does not tell the size at open: the first length() asks.
        Reflect.deleteProperty(file, 'sizeAtOpen');
        const original = file.stat.bind(file);
        file.stat = async () => {
          stats++;
          return original();
        };
        return file;
      },
    };
    const part = await PartFile.open(fs, path, new Semaphore(1));
    try {
      expect(await part.length()).toBe(100);
      await part.write([Buffer.alloc(50, 2), Buffer.alloc(30, 3)], 100);
      expect(await part.length()).toBe(180);
      await part.write([Buffer.alloc(10, 4)], 20);
      expect(await part.length()).toBe(180);
      await part.truncate(0);
      expect(await part.length()).toBe(0);
      await part.write([Buffer.alloc(7, 5)], 0);
      expect(await part.length()).toBe(7);
      expect(stats).toBe(1);
    } finally {
      await part.close();
    }
    expect((await stat(path)).size).toBe(7);
  });
});
