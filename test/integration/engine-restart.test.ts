import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type FileSystem,
  nodeFileSystem,
  type OpenFile,
} from '../../src-main/core/downloads/disk/file-system.ts';
import { DownloadEngine } from '../../src-main/core/downloads/queue/engine.ts';
import { JobStore } from '../../src-main/core/store/job-store.ts';
import { type Harness, md5OfFile, partSize, startHarness, toItem, waitFor } from './engine-harness.ts';

const MiB = 1024 * 1024;

/** Crashes, restarts and full disks: bytes on disk survive and are reused, never re-fetched. */
describe('engine across restarts and full disks', () => {
  let h: Harness;
  let diskFree = Number.MAX_SAFE_INTEGER;
  let writeBudget = Number.POSITIVE_INFINITY;
  beforeAll(async () => {
    h = await startHarness({
      settings: { segments: 1 },
      engine: {
        fs: faultyFs(
          () => writeBudget,
          (n) => (writeBudget -= n),
        ),
        disk: { freeBytes: async () => diskFree },
      },
    });
  });
  afterEach(async () => {
    expect(h.portal.authorizationSentToStorage()).toBe(false);
    diskFree = Number.MAX_SAFE_INTEGER;
    writeBudget = Number.POSITIVE_INFINITY;
    await h.reset();
  });
  afterAll(async () => {
    await h?.close();
  });

  const partOf = (name: string) => partSize(h.downloadDir, name);

  it('resumes after the engine is closed mid-download', async () => {
    const file = h.portal.file('TSTFIEFPL589');
    h.portal.setFaults(file.accession, { stallAfterBytes: 1_500_000, stallMs: 60_000 });
    await h.engine.close();
    await h.store.close();
    await h.reopen({ stallTimeoutMs: 30_000 });
    const [id] = h.add([file.accession]);
    await waitFor(async () => (await partOf(file.fileName)) >= 1_500_000);
    await h.engine.close();
    await h.store.close();
    expect(await partOf(file.fileName)).toBe(1_500_000);
    h.portal.clearFaults();
    h.portal.resetStats();
    await h.reopen();
    await h.engine.whenIdle();
    const job = h.engine.job(id as string);
    expect(job).toMatchObject({ state: 'done', verification: 'verified' });
    expect(await md5OfFile(job?.path as string)).toBe(file.md5);
    expect(h.portal.storageRequests().map((r) => r.range)).toEqual(['bytes=1500000-']);
    expect(h.portal.bytesServed(file.fileName)).toBe(file.size - 1_500_000);
  });

  it('finds a journaled file when files are added before the queue starts, and keeps one job per file', async () => {
    const [kept, added] = [h.portal.file('TSTFIEFPL589'), h.portal.file('TSTFI0KQKO49')];
    await h.download([kept.accession]);
    await h.engine.close();
    await h.store.close();
    h.portal.resetStats();
    // As the CLI opens it: subscribed first, files added, then started.
    const store = await JobStore.open({ dataDir: h.dataDir });
    const engine = new DownloadEngine({
      store,
      sourceFor: async () => h.source,
      settings: () => h.settings,
      events: h.events,
    });
    h.store = store;
    h.engine = engine;
    const result = engine.add([kept.accession, added.accession].map(toItem), { destDir: h.downloadDir });
    expect(result.alreadyQueued).toBe(1);
    await engine.start();
    await engine.whenIdle();
    const jobs = engine.snapshot().jobs;
    expect(jobs.map((j) => [j.source, j.state]).sort()).toEqual([
      [added.accession, 'done'],
      [kept.accession, 'done'],
    ]);
    expect(h.portal.bytesServed(kept.fileName)).toBe(0);
    expect(await md5OfFile(join(h.downloadDir, added.fileName))).toBe(added.md5);
  });

  it('resumes after the process is killed with SIGKILL mid-download', async () => {
    const file = h.portal.file('TSTFI0KQKO49');
    h.portal.setFaults(file.accession, { stallAfterBytes: 2_000_000 });
    await h.engine.close();
    await h.store.close();
    const child = await spawnEngine(h, file.accession);
    await waitFor(async () => (await partOf(file.fileName)) >= 2_000_000);
    child.kill('SIGKILL');
    await new Promise((done) => child.once('exit', done));
    h.portal.clearFaults();
    h.portal.resetStats();
    await h.reopen();
    const [job] = h.engine.snapshot().jobs;
    expect(job?.source).toBe(file.accession);
    await h.engine.whenIdle();
    expect(h.engine.job(job?.id as string)).toMatchObject({ state: 'done', verification: 'verified' });
    expect(await md5OfFile(join(h.downloadDir, file.fileName))).toBe(file.md5);
    expect(h.portal.storageRequests().map((r) => r.range)).toEqual(['bytes=2000000-']);
    expect(h.portal.bytesServed(file.fileName)).toBe(file.size - 2_000_000);
  });

  it('pauses with disk-full when a write hits ENOSPC, keeping the bytes, and resumes later', async () => {
    const file = h.portal.file('TSTFIEJJHOK1');
    writeBudget = 1_000_000;
    const [job] = await h.download([file.accession]);
    expect(job).toMatchObject({ state: 'paused', error: { code: 'disk-full' } });
    expect(job?.error?.message).toMatch(new RegExp(`^Disk full: [\\d.]+ MiB needed on ${h.downloadDir}`));
    const kept = await partOf(file.fileName);
    expect(kept).toBeGreaterThan(900_000);
    expect(kept).toBeLessThanOrEqual(1_000_000);
    writeBudget = Number.POSITIVE_INFINITY;
    h.portal.resetStats();
    expect(h.engine.resume([job?.id as string])).toBe(1);
    await h.engine.whenIdle();
    expect(h.engine.job(job?.id as string)).toMatchObject({ state: 'done', verification: 'verified' });
    expect(await md5OfFile(join(h.downloadDir, file.fileName))).toBe(file.md5);
    expect(h.portal.bytesServed(file.fileName)).toBe(file.size - kept);
  });

  it('checks free space before starting, counting what running downloads still need', async () => {
    const big = h.portal.file('TSTFI0KQKO49');
    diskFree = 1000;
    const [job] = await h.download([big.accession]);
    expect(job).toMatchObject({ state: 'paused', error: { code: 'disk-full' } });
    expect(job?.error?.message).toBe(
      `Disk full: 5.8 MiB needed on ${h.downloadDir}. Free some space, then resume.`,
    );
    expect(h.portal.storageRequests()).toEqual([]);

    await h.reset();
    const a = h.portal.file('TSTFIEJJHOK1');
    const b = h.portal.file('TSTFIEFPL589');
    h.portal.setFaults(a.accession, { stallAfterBytes: 100_000, stallMs: 1500, stallTimes: 1 });
    h.portal.setFaults(b.accession, { stallAfterBytes: 100_000, stallMs: 1500, stallTimes: 1 });
    diskFree = 4 * MiB;
    const jobs = await h.download([a.accession, b.accession]);
    expect(jobs.map((j) => j.state).sort()).toEqual(['done', 'paused']);
    expect(jobs.find((j) => j.state === 'paused')?.error?.code).toBe('disk-full');
  });

  it('keeps a resumed .part whose journal record was lost, and verifies it in the end', async () => {
    const file = h.portal.file('TSTFI9I1V0TK');
    await writeFile(
      join(h.downloadDir, `${file.fileName}.part`),
      h.portal.readBytes(file.fileName, 0, 3_000_000),
    );
    const [job] = await h.download([file.accession]);
    expect(job).toMatchObject({ state: 'done', verification: 'verified' });
    expect(h.portal.storageRequests().map((r) => r.range)).toEqual(['bytes=3000000-']);
  });
});

/** The engine in a child process (a real one, so SIGKILL is real), on the harness's data folder. */
async function spawnEngine(h: Harness, accession: string) {
  const repo = resolve(import.meta.dirname, '../..');
  const script = join(h.root, 'engine-child.mts');
  const at = (path: string) => JSON.stringify(join(repo, path));
  await writeFile(
    script,
    `import { DownloadEngine } from ${at('src-main/core/downloads/queue/engine.ts')};
import { createDownloadSource } from ${at('src-main/core/drs/download-source.ts')};
import { EventHub } from ${at('src-main/core/events.ts')};
import { JobStore } from ${at('src-main/core/store/job-store.ts')};
import { defaultSettings } from ${at('src-shared/domain/settings.ts')};
import { parseId } from ${at('src-shared/ids/ids.ts')};
const env = JSON.parse(process.env.ENGINE_CHILD);
const source = createDownloadSource({ server: env.portal, credentials: { server: env.portal, keyId: env.key, secret: env.secret } });
const store = await JobStore.open({ dataDir: env.dataDir });
const settings = { ...defaultSettings(env.downloadDir), segments: 1 };
const engine = new DownloadEngine({ store, sourceFor: async () => source, settings: () => settings, events: new EventHub(), stallTimeoutMs: 60000 });
await engine.start();
const parsed = parseId(env.accession);
engine.add([{ input: env.accession, id: parsed.ok ? parsed.id : undefined }], { destDir: env.downloadDir });
setInterval(() => {}, 1000);
`,
  );
  const env = {
    portal: h.portal.portalUrl,
    key: h.portal.key,
    secret: h.portal.secret,
    dataDir: h.dataDir,
    downloadDir: h.downloadDir,
    accession,
  };
  return spawn(process.execPath, [script], {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, ENGINE_CHILD: JSON.stringify(env) },
  });
}

/** A file system whose .part writes fail with ENOSPC once `budget()` bytes are used up. */
function faultyFs(budget: () => number, spend: (n: number) => void): FileSystem {
  return {
    ...nodeFileSystem,
    async open(path, flags) {
      const file = await nodeFileSystem.open(path, flags);
      if (!path.endsWith('.part')) return file;
      const wrapped: OpenFile = {
        read: (...args) => file.read(...args),
        truncate: (length) => file.truncate(length),
        stat: () => file.stat(),
        sync: () => file.sync(),
        close: () => file.close(),
        // Like a real disk: a write fills what space is left, and only the next one fails with ENOSPC.
        async write(buffer, offset, length, position) {
          const room = Math.min(length, budget());
          if (room <= 0) {
            throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
          }
          spend(room);
          return file.write(buffer, offset, room, position);
        },
        // One buffer at a time through the faulty write: a short count makes the caller write the rest singly.
        async writev(buffers, position) {
          let bytesWritten = 0;
          for (const buffer of buffers) {
            try {
              const done = await wrapped.write(buffer, 0, buffer.length, position + bytesWritten);
              bytesWritten += done.bytesWritten;
              if (done.bytesWritten < buffer.length) break;
            } catch (error) {
              // Like writev(2): an error only when nothing at all was written.
              if (bytesWritten === 0) throw error;
              break;
            }
          }
          return { bytesWritten };
        },
      };
      return wrapped;
    },
  };
}
