import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeFileSystem } from '../../src-main/core/downloads/disk/file-system.ts';
import { type Harness, md5OfFile, startHarness, toItem, waitFor } from './engine-harness.ts';

/**
 * A job whose folder never answers (a hung network mount: the call neither returns nor fails) must not hold
 * the queue: pausing it frees its slot for the next job, and Remove and close end instead of waiting on it.
 */
describe('a job stuck on its folder', () => {
  let h: Harness;
  let hangs = 0;
  beforeAll(async () => {
    h = await startHarness({
      portal: { files: 4 },
      settings: { concurrency: 1 },
      engine: {
        fs: {
          ...nodeFileSystem,
          mkdir: (dir) => {
            if (!dir.endsWith('hung')) return nodeFileSystem.mkdir(dir);
            hangs++;
            return new Promise<void>(() => {});
          },
        },
      },
    });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('holds no slot once paused, and Remove ends', async () => {
    const [first, second] = h.portal.files.filter((f) => f.status === 'released');
    if (!first || !second) throw new Error('the sample portal has too few released files');
    const hung = join(h.root, 'hung');
    const [stuck] = h.engine.add([toItem(first.accession)], { destDir: hung }).jobIds;
    const [next] = h.add([second.accession]);
    await waitFor(() => hangs === 1);
    expect(h.engine.job(stuck as string)?.state).toBe('resolving');
    expect(h.engine.job(next as string)?.state).toBe('queued');

    expect(h.engine.pause([stuck as string])).toBe(1);
    await waitFor(() => h.engine.job(next as string)?.state === 'done', 20_000);
    expect(await md5OfFile(join(h.downloadDir, second.fileName))).toBe(second.md5);

    expect(await h.engine.remove([stuck as string])).toBe(1);
    expect(h.engine.job(stuck as string)).toBeUndefined();
    expect(existsSync(hung)).toBe(false);
  });
});
