import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { expandBundle } from '../../src-main/core/drs/bundle.ts';
import { DrsClient } from '../../src-main/core/drs/drs-client.ts';
import { HttpClient } from '../../src-main/core/http/http-client.ts';
import { runCliCaptured } from '../support/cli-io.ts';
import { type DrsTestServer, startDrsTestServer } from '../support/drs-server.ts';
import { type Harness, listDir, startHarness } from './engine-harness.ts';

/** DRS bundles through the real engine: a bundle of bundles becomes a folder tree; a cycle fails plainly. */
const file = (name: string) => ({ kind: 'file' as const, name, bytes: Buffer.from(`bytes of ${name}\n`) });

describe('DRS bundles', () => {
  let h: Harness;
  let drs: DrsTestServer;
  beforeAll(async () => {
    h = await startHarness({ portal: { files: 1 } });
    drs = await startDrsTestServer({
      top: {
        kind: 'bundle',
        name: 'experiment 7',
        contents: [
          { name: 'a.txt', id: 'f1' },
          { name: 'lanes', id: 'b2' },
        ],
      },
      b2: {
        kind: 'bundle',
        name: 'lanes',
        contents: [
          { name: 'deep.txt', id: 'f2' },
          { name: 'inner', id: 'b3' },
        ],
      },
      b3: { kind: 'bundle', name: 'inner', contents: [{ name: 'deepest.txt', id: 'f3' }] },
      f1: file('a.txt'),
      f2: file('deep.txt'),
      f3: file('deepest.txt'),
      c1: { kind: 'bundle', name: 'loop', contents: [{ name: 'step', id: 'c2' }] },
      c2: { kind: 'bundle', name: 'step', contents: [{ name: 'back', id: 'c1' }] },
      wide: {
        kind: 'bundle',
        name: 'wide',
        contents: ['f1', 'f2', 'f3'].map((id) => ({ name: id, id })),
      },
    });
  });
  afterEach(async () => {
    await h.reset();
  });
  afterAll(async () => {
    await h?.close();
    await drs?.close();
  });

  it('downloads a bundle of bundles into its folder tree, every file verified', async () => {
    const [bundleJob] = await h.download([drs.uri('top')]);
    expect(bundleJob).toMatchObject({ state: 'done', name: 'experiment 7/', bundleFiles: 3 });
    expect(bundleJob?.note).toBe(
      'A bundle of 3 file(s): 3 queued into experiment 7/ (each is verified on its own).',
    );
    const root = join(h.downloadDir, 'experiment 7');
    expect(await listDir(root)).toEqual(['a.txt', 'lanes']);
    expect(await listDir(join(root, 'lanes'))).toEqual(['deep.txt', 'inner']);
    expect(await listDir(join(root, 'lanes', 'inner'))).toEqual(['deepest.txt']);
    expect(await readFile(join(root, 'lanes', 'inner', 'deepest.txt'), 'utf8')).toBe(
      'bytes of deepest.txt\n',
    );
    const files = h.engine.snapshot().jobs.filter((job) => job !== undefined && job.id !== bundleJob?.id);
    expect(files.map((job) => [job.name, job.state, job.verification]).sort()).toEqual([
      ['a.txt', 'done', 'verified'],
      ['deep.txt', 'done', 'verified'],
      ['deepest.txt', 'done', 'verified'],
    ]);
  });

  it('fails a bundle that contains itself, naming the cycle, and queues nothing', async () => {
    const [job] = await h.download([drs.uri('c1')]);
    expect(job?.state).toBe('failed');
    expect(job?.error).toEqual({
      code: 'bad-response',
      message:
        'Bundle loop contains itself (c1 → c2 → c1): its server describes a cycle, so it cannot be saved as a ' +
        'folder tree.',
    });
    expect(h.engine.snapshot().jobs).toHaveLength(1);
    expect(await listDir(h.downloadDir)).toEqual([]);
  });

  it('stops at the depth and file-count limits with a reason', async () => {
    const client = new DrsClient({ http: new HttpClient({}), defaultServer: drs.base });
    const top = await client.resolve(drs.uri('top'));
    await expect(expandBundle(client, top, { limits: { maxDepth: 1, maxFiles: 100 } })).rejects.toMatchObject(
      {
        message:
          'Bundle experiment 7 nests more than 1 levels deep (at lanes/inner): download its parts one by one.',
      },
    );
    const wide = await client.resolve(drs.uri('wide'));
    await expect(expandBundle(client, wide, { limits: { maxDepth: 5, maxFiles: 2 } })).rejects.toMatchObject({
      message: 'Bundle wide holds more than 2 files: download its parts one by one.',
    });
    const plan = await expandBundle(client, top);
    expect(plan.members.map((member) => [member.folders.join('/'), member.input])).toEqual([
      ['', `${drs.drsBase}/objects/f1`],
      ['lanes', `${drs.drsBase}/objects/f2`],
      ['lanes/inner', `${drs.drsBase}/objects/f3`],
    ]);
  });

  it('4dn-dl get lists a bundle by its files, fails a cyclic one with exit 1, and a rerun skips what is there', async () => {
    const common = ['--data-dir', join(h.root, 'cli-data'), '-o', join(h.root, 'cli-out'), '--json'];
    const first = await runCliCaptured(['get', drs.uri('top'), drs.uri('c1'), ...common]);
    expect(first.code).toBe(1);
    const summary = JSON.parse(first.stdout) as {
      ok: number;
      failed: number;
      files: Array<Record<string, unknown>>;
    };
    expect(summary.files.map((f) => [f.path, f.status])).toEqual([
      [null, 'failed'],
      [join(h.root, 'cli-out', 'experiment 7', 'a.txt'), 'verified'],
      [join(h.root, 'cli-out', 'experiment 7', 'lanes', 'deep.txt'), 'verified'],
      [join(h.root, 'cli-out', 'experiment 7', 'lanes', 'inner', 'deepest.txt'), 'verified'],
    ]);
    const again = await runCliCaptured(['get', drs.uri('top'), ...common]);
    expect(again.code).toBe(0);
    expect(
      (JSON.parse(again.stdout) as { files: Array<{ status: string }> }).files.map((f) => f.status),
    ).toEqual(['skipped', 'skipped', 'skipped']);
  });
});
