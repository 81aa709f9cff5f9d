import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FileSystem, nodeFileSystem } from '../../src-main/core/downloads/disk/file-system.ts';
import { PartFile } from '../../src-main/core/downloads/disk/part-file.ts';
import { Semaphore } from '../../src-main/core/downloads/queue/semaphore.ts';

/**
 * sync() before the rename skips its fsync only when an earlier fsync (the flush started at the last byte)
 * covered every write and truncation; anything else, including bytes found on disk, gets an fsync. A failed
 * fsync is final for the file.
 */
describe('PartFile sync', () => {
  let dir: string;
  let syncs: number;
  let failNextSync: boolean;
  let slowWrites: number;
  let slowSyncs: number;
  let closes: ({ synced?: boolean } | undefined)[];
  const fs: FileSystem = {
    ...nodeFileSystem,
    async open(path, mode) {
      const file = await nodeFileSystem.open(path, mode);
      const [sync, write] = [file.sync.bind(file), file.write.bind(file)];
      file.sync = async () => {
        syncs++;
        if (slowSyncs > 0) await new Promise((resolve) => setTimeout(resolve, slowSyncs));
        if (failNextSync) {
          failNextSync = false;
          throw Object.assign(new Error('EIO'), { code: 'EIO' });
        }
        return sync();
      };
      const close = file.close.bind(file);
      file.close = (options) => {
        closes.push(options);
        return close(options);
      };
      file.write = async (...args) => {
        if (slowWrites > 0) await new Promise((resolve) => setTimeout(resolve, slowWrites));
        return write(...args);
      };
      return file;
    },
  };
  const open = (name: string) => PartFile.open(fs, join(dir, name), new Semaphore(1));

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'part-sync-'));
    syncs = 0;
    failNextSync = false;
    slowWrites = 0;
    slowSyncs = 0;
    closes = [];
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('one fsync when the flush at the last byte covered every write', async () => {
    const part = await open('a.part');
    await part.write([Buffer.alloc(10, 1)], 0);
    part.flushRest();
    await part.sync();
    await part.sync();
    await part.close();
    expect(syncs).toBe(1);
  });

  it('an fsync for bytes found on disk, which a killed run may have left unsynced', async () => {
    await writeFile(join(dir, 'b.part'), Buffer.alloc(100, 1));
    const part = await open('b.part');
    await part.sync();
    await part.close();
    expect(syncs).toBe(1);
  });

  it('an fsync again after a write or truncation the flush did not cover', async () => {
    const part = await open('c.part');
    await part.write([Buffer.alloc(10, 1)], 0);
    part.flushRest();
    await part.sync();
    await part.write([Buffer.alloc(10, 2)], 10);
    await part.sync();
    await part.truncate(5);
    await part.sync();
    await part.close();
    expect(syncs).toBe(3);
  });

  it('a failed flush fails the sync, never retried on the same descriptor, and the .part is emptied', async () => {
    const part = await open('d.part');
    await part.write([Buffer.alloc(10, 1)], 0);
    failNextSync = true;
    part.flushRest();
    // A second fsync could succeed with the bytes lost (Linux reports a writeback error once).
    await expect(part.sync()).rejects.toMatchObject({ code: 'io-error' });
    await expect(part.sync()).rejects.toMatchObject({ code: 'io-error' });
    await part.close();
    expect(syncs).toBe(1);
    expect((await stat(join(dir, 'd.part'))).size).toBe(0);
  });

  it('a write that ends while an fsync runs is not taken as covered by it', async () => {
    const part = await open('f.part');
    await part.write([Buffer.alloc(10, 1)], 0);
    slowSyncs = 50;
    part.flushRest();
    await part.write([Buffer.alloc(10, 2)], 10);
    slowSyncs = 0;
    await part.sync();
    await part.close();
    expect(syncs).toBe(2);
  });

  it('tells the file it may close at once only when every write is synced', async () => {
    const synced = await open('g.part');
    await synced.write([Buffer.alloc(10, 1)], 0);
    await synced.sync();
    await synced.close();
    // Unsynced bytes (a paused or failed download): closing may start writeback, so not on the event loop.
    const unsynced = await open('h.part');
    await unsynced.write([Buffer.alloc(10, 1)], 0);
    await unsynced.close();
    expect(closes).toEqual([{ synced: true }, { synced: false }]);
  });

  it('a write still running when the flush starts is not taken as covered', async () => {
    const part = await open('e.part');
    await part.write([Buffer.alloc(10, 1)], 0);
    slowWrites = 50;
    const late = part.write([Buffer.alloc(10, 2)], 10);
    part.flushRest();
    await late;
    await part.sync();
    await part.close();
    expect(syncs).toBe(2);
  });
});
