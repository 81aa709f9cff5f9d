import { describe, expect, it } from 'vitest';
import { cachedDiskSpace, type DiskSpace } from '../../src-main/core/downloads/disk/disk.ts';

describe('cachedDiskSpace', () => {
  it('asks the disk once per folder per second, and again once the answer is a second old', async () => {
    let clock = 0;
    const asked: string[] = [];
    let free = 1000;
    const inner: DiskSpace = {
      freeBytes: async (dir) => {
        asked.push(dir);
        return free;
      },
    };
    const disk = cachedDiskSpace(inner, () => clock);
    expect(await disk.freeBytes('/a')).toBe(1000);
    free = 10;
    clock = 999;
    expect(await disk.freeBytes('/a')).toBe(1000);
    expect(await disk.freeBytes('/b')).toBe(10);
    clock = 1000;
    expect(await disk.freeBytes('/a')).toBe(10);
    expect(asked).toEqual(['/a', '/b', '/a']);
  });

  it('does not keep a failed answer', async () => {
    let fail = true;
    const disk = cachedDiskSpace(
      {
        freeBytes: async () => {
          if (fail) throw new Error('EIO');
          return 5;
        },
      },
      () => 0,
    );
    await expect(disk.freeBytes('/a')).rejects.toThrow('EIO');
    fail = false;
    expect(await disk.freeBytes('/a')).toBe(5);
  });
});
