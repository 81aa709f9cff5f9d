import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type SampleFile, type SamplePortal, startSamplePortal } from '../../sample-portal/server.ts';
import { startChild, waitUntil } from '../support/child-process.ts';

/**
 * The journal's group commit (jobs that finish together share one append and one fsync): a SIGKILL while small
 * files finish eight at a time loses nothing and leaves nothing claimed that is not so. Every file under a final
 * name is whole and matches its md5; every job the journal calls verified has its file so; the rerun finishes the
 * rest and fetches none of the files already there again.
 */
const root = resolve(import.meta.dirname, '../..');
const md5 = (bytes: Buffer) => createHash('md5').update(bytes).digest('hex');

let portal: SamplePortal;
let dir: string;
let files: SampleFile[];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-kill-batch-'));
  portal = await startSamplePortal({ files: 0, dataDir: join(dir, 'portal') });
  files = Array.from({ length: 80 }, () => portal.addFile({ size: 48 * 1024, format: 'bw' }));
});
afterAll(async () => {
  await portal?.close();
  await rm(dir, { recursive: true, force: true });
});

interface Journaled {
  state: string;
  verification?: string;
  path?: string;
  source: string;
}

/**
 * The CLI's queue journal for the one download folder used here (under cli-queues/), as a restart reads it: the
 * last line for each id wins, a torn last line is ignored.
 */
async function journal(dataDir: string): Promise<Map<string, Journaled>> {
  const jobs = new Map<string, Journaled>();
  const queues = await readdir(join(dataDir, 'cli-queues'));
  expect(queues).toHaveLength(1);
  const text = await readFile(join(dataDir, 'cli-queues', queues[0] as string, 'queue.jsonl'), 'utf8');
  for (const raw of text.split('\n')) {
    let line: { t?: string; r?: { job: Journaled & { id: string } }; id?: string };
    try {
      line = JSON.parse(raw);
    } catch {
      continue;
    }
    if (line.t === 'job' && line.r) jobs.set(line.r.job.id, line.r.job);
    if (line.t === 'del' && line.id) jobs.delete(line.id);
  }
  return jobs;
}

it('a SIGKILL while jobs finish together loses nothing and reports nothing verified that is not', async () => {
  if (!existsSync(join(root, 'out/main/cli.js')))
    throw new Error('run `npm run build` first (npm test does)');
  const out = join(dir, 'out');
  const state = join(dir, 'state');
  const list = join(dir, 'list.txt');
  await writeFile(list, `${files.map((f) => f.accession).join('\n')}\n`);
  const node = join(root, 'node_modules/.bin/node');
  const args = [join(root, 'bin/4dn-dl.js'), 'get', '-i', list, '-o', out, '-j', '8', '--json'];
  const flags = ['--keypairs', portal.keypairsPath, '--data-dir', state];
  const finals = async () =>
    (await readdir(out).catch(() => [] as string[])).filter((name) => !name.endsWith('.part'));

  const first = startChild(node, [...args, ...flags]);
  await waitUntil(async () => (await finals()).length >= 20, 60_000, first.stderr);
  first.child.kill('SIGKILL');
  await first.exit;

  const byName = new Map(files.map((f) => [f.fileName, f]));
  const before = await finals();
  expect(before.length).toBeGreaterThanOrEqual(20);
  expect(before.length).toBeLessThan(files.length);
  // Nothing partial under a final name.
  for (const name of before) expect(md5(await readFile(join(out, name))), name).toBe(byName.get(name)?.md5);
  // Nothing the journal calls verified that is not whole and right on disk.
  const journaled = [...(await journal(state)).values()];
  expect(journaled).toHaveLength(files.length);
  const verified = journaled.filter((job) => job.state === 'done');
  for (const job of verified) {
    expect(job.verification).toBe('verified');
    const file = files.find((f) => f.accession === job.source) as SampleFile;
    expect(md5(await readFile(job.path as string))).toBe(file.md5);
  }

  portal.resetStats();
  const rerun = startChild(node, [...args, ...flags]);
  expect(await rerun.exit, rerun.stderr()).toBe(0);
  // The rerun accounts for every file asked for, the ones the journal already had as done too (their jobs
  // are reported as they are, not run again).
  const summary = JSON.parse(rerun.stdout()) as { ok: number; failed: number };
  expect(summary).toEqual(expect.objectContaining({ ok: files.length, failed: 0 }));
  for (const job of verified) expect(portal.bytesServed(basename(job.path as string)), job.source).toBe(0);
  for (const f of files) expect(md5(await readFile(join(out, f.fileName))), f.fileName).toBe(f.md5);
  // Nothing lost: the files already under their names before the kill were not fetched again.
  for (const name of before) expect(portal.bytesServed(name), name).toBe(0);
  expect((await finals()).sort()).toEqual(files.map((f) => f.fileName).sort());
});
