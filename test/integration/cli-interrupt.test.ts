import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SamplePortal, startSamplePortal } from '../../sample-portal/server.ts';
import { waitUntil } from '../support/child-process.ts';
import { runCliCaptured } from '../support/cli-io.ts';

/**
 * Ctrl-C in `4dn-dl get` (the `interrupted` promise main.ts resolves on SIGINT): the wait on queue:wait-idle is
 * abandoned, the queue closed with the partial bytes kept, exit 130; the same command again resumes them.
 */
describe('4dn-dl get stopped by Ctrl-C', () => {
  let portal: SamplePortal;
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cli-interrupt-'));
    portal = await startSamplePortal({ files: 2, dataDir: join(dir, 'portal') });
  });
  afterAll(async () => {
    await portal?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('exits 130 with the partial file kept, and a rerun resumes it to a verified file', async () => {
    const size = 6 * 1024 * 1024;
    const file = portal.addFile({ size, format: 'pairs' });
    portal.setFaults(file.accession, { throughputBytesPerSec: 2 * 1024 * 1024 });
    const out = join(dir, 'out');
    const argv = ['get', file.accession, '-o', out, '--segments', '1', '--json'];
    const flags = ['--keypairs', portal.keypairsPath, '--data-dir', join(dir, 'state')];
    const part = join(out, `${file.fileName}.part`);
    const partSize = async () => (await stat(part).catch(() => undefined))?.size ?? 0;

    let pressCtrlC = () => {};
    const interrupted = new Promise<void>((resolve) => {
      pressCtrlC = resolve;
    });
    const running = runCliCaptured([...argv, ...flags], { interrupted });
    await waitUntil(
      async () => (await partSize()) > size / 4,
      20_000,
      () => 'the download never started',
    );
    pressCtrlC();
    const stopped = await running;
    expect(stopped.code, stopped.stderr).toBe(130);
    expect(stopped.stderr).toContain(
      'Stopped. Partial downloads are kept: run the same command again to resume.',
    );
    expect(stopped.stdout).toBe('');
    const kept = await partSize();
    expect(kept).toBeGreaterThan(size / 4);
    expect(kept).toBeLessThan(size);
    expect(existsSync(join(out, file.fileName))).toBe(false);

    portal.clearFaults(file.accession);
    const rerun = await runCliCaptured([...argv, ...flags]);
    expect(rerun.code, rerun.stderr).toBe(0);
    const summary = JSON.parse(rerun.stdout) as { files: Array<{ status: string; path: string }> };
    expect(summary.files).toEqual([
      expect.objectContaining({ status: 'verified', path: join(out, file.fileName) }),
    ]);
    expect(
      createHash('md5')
        .update(await readFile(join(out, file.fileName)))
        .digest('hex'),
    ).toBe(file.md5);
    // Resumed, not started over: well under two whole copies were served.
    expect(portal.bytesServed(file.fileName)).toBeLessThan(1.6 * size);
    expect(existsSync(part)).toBe(false);
  });

  it('reports a file the stopped run had finished when the same command runs again, and clears it from the queue', async () => {
    const small = portal.addFile({ size: 64 * 1024, format: 'bw' });
    const slow = portal.addFile({ size: 6 * 1024 * 1024, format: 'pairs' });
    portal.setFaults(slow.accession, { throughputBytesPerSec: 1024 * 1024 });
    const out = join(dir, 'out-two');
    const state = join(dir, 'state-two');
    const argv = ['get', small.accession, slow.accession, '-o', out, '--segments', '1', '--json'];
    const flags = ['--keypairs', portal.keypairsPath, '--data-dir', state];
    let pressCtrlC = () => {};
    const interrupted = new Promise<void>((resolve) => {
      pressCtrlC = resolve;
    });
    const running = runCliCaptured([...argv, ...flags], { interrupted });
    await waitUntil(
      async () => existsSync(join(out, small.fileName)) && existsSync(join(out, `${slow.fileName}.part`)),
      20_000,
      () => 'the small file never finished',
    );
    pressCtrlC();
    expect((await running).code).toBe(130);

    portal.clearFaults(slow.accession);
    const rerun = await runCliCaptured([...argv, ...flags]);
    expect(rerun.code, rerun.stderr).toBe(0);
    const summary = JSON.parse(rerun.stdout) as { ok: number; files: Array<{ id: string; status: string }> };
    // Both files asked for are accounted for, the one finished before the stop too.
    expect(summary.files.map((f) => [f.id, f.status]).sort()).toEqual(
      [
        [small.accession, 'verified'],
        [slow.accession, 'verified'],
      ].sort(),
    );
    expect(portal.bytesServed(small.fileName)).toBe(small.size);
    // Cleared like any finished job: a third run finds nothing left in the queue and checks the files on disk.
    const third = await runCliCaptured([...argv, ...flags]);
    expect(third.code, third.stderr).toBe(0);
    expect((JSON.parse(third.stdout) as { ok: number }).ok).toBe(2);
    expect(portal.bytesServed(small.fileName)).toBe(small.size);
  });
});
