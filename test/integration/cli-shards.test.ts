import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SamplePortal, startSamplePortal } from '../../sample-portal/server.ts';
import { type RunningChild, startChild, waitUntil } from '../support/child-process.ts';
import { runCliCaptured } from '../support/cli-io.ts';

const root = resolve(import.meta.dirname, '../..');
const node = join(root, 'node_modules/.bin/node');
const md5 = (bytes: Buffer) => createHash('md5').update(bytes).digest('hex');
const SHARDS = 4;

/** The environment a node of a Slurm array `--array=0-3` gives task `task`, with nothing of the test's own. */
function slurmTask(task: number): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME };
  return {
    ...env,
    SLURM_ARRAY_TASK_ID: String(task),
    SLURM_ARRAY_TASK_MIN: '0',
    SLURM_ARRAY_TASK_MAX: String(SHARDS - 1),
    SLURM_ARRAY_TASK_COUNT: String(SHARDS),
  };
}

describe('4dn-dl get --shard auto: four array tasks into one folder', () => {
  let portal: SamplePortal;
  let dir: string;

  beforeAll(async () => {
    if (!existsSync(join(root, 'out/main/cli.js')))
      throw new Error('run `npm run build` first (npm test does)');
    dir = await mkdtemp(join(tmpdir(), 'cli-shards-'));
    portal = await startSamplePortal({ files: 12, dataDir: join(dir, 'portal') });
    // Small files too, so every shard has several.
    for (let i = 0; i < 8; i++) portal.addFile({ size: 20_000 + i * 1000, format: 'bed' });
  });
  afterAll(async () => {
    await portal?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('fetches every file exactly once, survives a kill -9 of one shard, and report merges the totals', async () => {
    const out = join(dir, 'out');
    const tsv = join(dir, 'metadata.tsv');
    await writeFile(tsv, portal.metadataTsv());
    const expected = portal.files
      // Every file the TSV offers for download: not the one still uploading, nor the restricted one.
      .filter((f) => f.status === 'released' || f.status === 'archived')
      .flatMap((f) => [f, ...f.extraFiles.map((x) => ({ ...x, accession: f.accession }))]);
    // Largest first to the lightest shard: the largest file is shard 1's first. Slow it down so shard 1 is
    // still on it when the others are done, and kill it there.
    const largest = expected.reduce((a, b) => (b.size > a.size ? b : a));
    portal.setFaults(largest.accession, { throughputBytesPerSec: 1024 * 1024 });

    const shard = (task: number): RunningChild =>
      startChild(
        node,
        [
          join(root, 'bin/4dn-dl.js'),
          'get',
          '-i',
          tsv,
          '-o',
          out,
          '--shard',
          'auto',
          '--segments',
          '1',
          '--summary',
          join(dir, 'summary-%K.json'),
          '--keypairs',
          portal.keypairsPath,
          '--data-dir',
          join(dir, `node-${task}`),
        ],
        { env: slurmTask(task) },
      );
    const running = [0, 1, 2, 3].map(shard);
    const part = join(out, `${largest.fileName}.part`);
    await waitUntil(
      async () => ((await stat(part).catch(() => undefined))?.size ?? 0) > largest.size / 8,
      60_000,
      () => running.map((r) => r.stderr()).join('\n'),
    );
    running[0]?.child.kill('SIGKILL');
    const codes = await Promise.all(running.map((r) => r.exit));
    expect(codes.slice(1), running.map((r) => r.stderr()).join('\n')).toEqual([0, 0, 0]);
    expect(existsSync(join(dir, 'summary-1.json'))).toBe(false);

    // Shard 1 again, on "another node" (its own state folder): its journal is in the shared folder.
    portal.clearFaults(largest.accession);
    const rerun = shard(0);
    expect(await rerun.exit, rerun.stderr()).toBe(0);

    for (const file of expected) {
      expect(md5(await readFile(join(out, file.fileName))), file.fileName).toBe(file.md5);
      // Exactly once: one shard fetched it, whole, and no other shard asked for it.
      if (file !== largest) expect(portal.bytesServed(file.fileName), file.fileName).toBe(file.size);
    }
    // The killed file: resumed from its kept bytes, not fetched again from the start.
    expect(portal.bytesServed(largest.fileName)).toBeLessThan(largest.size * 1.5);
    const names = await readdir(out);
    expect(names.filter((n) => n.endsWith('.part'))).toEqual([]);
    expect(names.filter((n) => !n.startsWith('.')).sort()).toEqual(expected.map((f) => f.fileName).sort());

    const summaries = [1, 2, 3, 4].map((k) => join(dir, `summary-${k}.json`));
    const perShard = await Promise.all(
      summaries.map(
        async (p) => JSON.parse(await readFile(p, 'utf8')) as { files: Array<{ status: string }> },
      ),
    );
    expect(perShard.every((s) => s.files.length > 0)).toBe(true);
    expect(perShard.reduce((n, s) => n + s.files.length, 0)).toBe(expected.length);

    const report = await runCliCaptured(['report', ...summaries, '--json']);
    expect(report.code, report.stderr).toBe(0);
    const merged = JSON.parse(report.stdout) as Record<string, unknown>;
    expect(merged).toMatchObject({
      files: expected.length,
      ok: expected.length,
      failed: 0,
      missingShards: [],
    });
    expect(merged.verified).toBe(expected.length);
    expect(merged.bytes).toBe(expected.reduce((n, f) => n + f.size, 0));

    // A shard run again finds every file of its part done (by itself or any other process): nothing fetched.
    const served = expected.map((f) => portal.bytesServed(f.fileName));
    const again = shard(2);
    expect(await again.exit, again.stderr()).toBe(0);
    expect(expected.map((f) => portal.bytesServed(f.fileName))).toEqual(served);
  }, 180_000);

  it('a shard with nothing in its part succeeds with an empty summary; no array is a usage error', async () => {
    const file = portal.files.find((f) => f.status === 'released');
    if (!file) throw new Error('no released file');
    const flags = ['--keypairs', portal.keypairsPath, '--data-dir', join(dir, 'solo')];
    const out = join(dir, 'solo-out');
    const servedBefore = portal.bytesServed(file.fileName);
    // One item, two shards: LPT gives it to shard 1, so shard 2 has nothing to do.
    const empty = await runCliCaptured(
      ['get', file.accession, '-o', out, '--shard', '2/2', '--summary', join(dir, 'solo-%K.json'), ...flags],
      { env: {} },
    );
    expect(empty.code, empty.stderr).toBe(0);
    expect(JSON.parse(await readFile(join(dir, 'solo-2.json'), 'utf8'))).toMatchObject({
      ok: 0,
      failed: 0,
      files: [],
      shard: { index: 2, count: 2 },
      outDir: out,
    });
    expect(portal.bytesServed(file.fileName)).toBe(servedBefore);

    const none = await runCliCaptured(['get', file.accession, '-o', out, '--shard', 'auto', ...flags], {
      env: {},
    });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/found no job array.*SLURM_ARRAY_TASK_ID/s);
  });
});
