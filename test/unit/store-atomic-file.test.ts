import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { syncDirectory, writeFileAtomic } from '../../src-main/core/store/atomic-file.ts';

describe('atomic files', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'atomic-file-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('replaces a file whole and leaves no temporary sibling', async () => {
    const path = join(dir, 'nested', 'state.json');
    await writeFileAtomic(path, 'one');
    await writeFileAtomic(path, 'two');
    expect(await readFile(path, 'utf8')).toBe('two');
    expect(await readdir(join(dir, 'nested'))).toEqual(['state.json']);
  });

  it('shares one folder fsync among the callers that arrive while one runs', async () => {
    const first = syncDirectory(dir);
    // A rename made now may have missed the running fsync: these wait for the next one, and share it.
    const second = syncDirectory(dir);
    const third = syncDirectory(dir);
    expect(second).toBe(third);
    expect(second).not.toBe(first);
    // Another folder has its own.
    const elsewhere = syncDirectory(tmpdir());
    expect(elsewhere).not.toBe(first);
    await Promise.all([first, second, elsewhere]);
    // Once idle, a call starts a fresh fsync rather than reusing a finished one.
    const later = syncDirectory(dir);
    expect(later).not.toBe(second);
    await later;
  });

  it('never rejects for a folder that cannot be synced', async () => {
    await expect(syncDirectory(join(dir, 'missing'))).resolves.toBeUndefined();
  });
});
