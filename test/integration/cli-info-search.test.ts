import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SampleFile, type SamplePortal, startSamplePortal } from '../../sample-portal/server.ts';
import { JobStore } from '../../src-main/core/store/job-store.ts';
import { runCliCaptured } from '../support/cli-io.ts';

const root = resolve(import.meta.dirname, '../..');

describe('4dn-dl info and search against the sample portal', () => {
  let portal: SamplePortal;
  let dir: string;
  let keypairs: string;
  let badKeypairs: string;
  const flags = () => ['--keypairs', keypairs, '--data-dir', join(dir, 'data')];
  const byShape = (shape: SampleFile['drsShape']) => {
    const file = portal.files.find((f) => f.drsShape === shape && f.status === 'released');
    if (!file) throw new Error(`the sample portal has no released ${shape} file`);
    return file;
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cli-info-'));
    portal = await startSamplePortal({ dataDir: join(dir, 'portal') });
    keypairs = portal.keypairsPath;
    badKeypairs = join(dir, 'bad-keypairs.json');
    await writeFile(
      badKeypairs,
      JSON.stringify({
        default: { key: portal.key, secret: 'zzzzzzzzzzzzzzzz', server: `${portal.portalUrl}/` },
      }),
      { mode: 0o600 },
    );
  });
  afterAll(async () => {
    await portal?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('prints the normalised object of every DRS shape as JSON', async () => {
    const files = [byShape('current'), byShape('legacy'), byShape('access-id')];
    const run = await runCliCaptured(['info', ...files.map((f) => f.accession), '--json', ...flags()]);
    expect(run.code, run.stderr).toBe(0);
    const out = JSON.parse(run.stdout) as {
      objects: Array<{ ok: boolean; object: Record<string, unknown> }>;
    };
    expect(out.objects).toHaveLength(3);
    for (const [i, file] of files.entries()) {
      const object = out.objects[i]?.object;
      expect(object?.id).toBe(file.accession);
      expect(object?.size).toBe(file.size);
      expect(object?.checksums).toEqual([{ type: 'md5', value: file.md5 }]);
    }
    expect(run.stdout).not.toContain(portal.secret);
  });

  it('takes drs:// URIs and portal URLs and prints a readable summary', async () => {
    const file = byShape('current');
    const host = new URL(portal.portalUrl).host;
    const run = await runCliCaptured([
      'info',
      `drs://${host}/${file.accession}`,
      `${portal.portalUrl}/${file.itemType}/${file.accession}/`,
      ...flags(),
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.match(new RegExp(`id\\s+${file.accession}`, 'g'))).toHaveLength(2);
    expect(run.stdout).toContain(file.md5);
    expect(run.stdout).toContain(`saves as    ${file.fileName} (`);
  });

  it("says what get would save: an extra file's own name, size and md5, not its parent's", async () => {
    const parent = portal.files.find((f) => f.extraFiles.length > 0 && f.status === 'released');
    const extra = parent?.extraFiles[0];
    if (!parent || !extra) throw new Error('the sample portal has no extra file');
    const run = await runCliCaptured(['info', `${portal.portalUrl}${extra.href}`, '--json', ...flags()]);
    expect(run.code, run.stderr).toBe(0);
    const [entry] = (JSON.parse(run.stdout) as { objects: Array<Record<string, unknown>> }).objects;
    // DRS knows only the parent (PORTAL.md); the download is the extra file.
    expect(entry?.object).toMatchObject({ size: parent.size });
    expect(entry?.download).toMatchObject({
      name: extra.fileName,
      size: extra.size,
      checksums: [{ type: 'md5', value: extra.md5 }],
      source: 'portal-item',
    });
  });

  it('exits 1 when an object is unknown, 2 for an unsupported id, 3 when the key is rejected', async () => {
    const unknown = await runCliCaptured(['info', 'TSTFIZZZZZZZ', ...flags()]);
    expect(unknown.code).toBe(1);
    expect(unknown.stdout).toContain('not-found');

    const compact = await runCliCaptured(['info', 'drs://4dn:4DNFIIA7E3HL', ...flags()]);
    expect(compact.code).toBe(2);
    expect(compact.stdout).toMatch(/compact/i);

    const rejected = await runCliCaptured(['info', byShape('current').accession, '--keypairs', badKeypairs]);
    expect(rejected.code).toBe(3);
    expect(rejected.stdout + rejected.stderr).toMatch(/rejected/i);
    expect(rejected.stdout + rejected.stderr).not.toContain('zzzzzzzzzzzzzzzz');
  });

  it('searches processed files as JSON and as a table', async () => {
    const json = await runCliCaptured(['search', '--type', 'FileProcessed', '--json', ...flags()]);
    expect(json.code, json.stderr).toBe(0);
    const page = JSON.parse(json.stdout) as {
      items: Array<{ accession: string; type: string[] }>;
      total: number;
    };
    const expected = portal.files.filter((f) => f.itemType === 'files-processed').map((f) => f.accession);
    expect(page.items.map((i) => i.accession).sort()).toEqual(expected.sort());
    expect(page.total).toBe(expected.length);

    const table = await runCliCaptured(['search', '--type', 'FileProcessed', ...flags()]);
    expect(table.code).toBe(0);
    for (const accession of expected) expect(table.stdout).toContain(accession);
  });

  it('applies filters and says so when nothing matches', async () => {
    const format = portal.files[0]?.format as string;
    const filtered = await runCliCaptured([
      'search',
      '--filter',
      `file_format.file_format=${format}`,
      '--json',
      ...flags(),
    ]);
    const page = JSON.parse(filtered.stdout) as { items: Array<{ fileFormat?: string }> };
    expect(page.items.length).toBeGreaterThan(0);
    expect(page.items.every((i) => i.fileFormat === format)).toBe(true);

    const none = await runCliCaptured(['search', 'no-such-thing-anywhere', ...flags()]);
    expect(none.code).toBe(0);
    expect(none.stdout).toContain('No files found.');
  });

  it('works while the desktop app (or any other process) holds the queue of the same state folder', async () => {
    const held = await JobStore.open({ dataDir: join(dir, 'data') });
    try {
      const run = await runCliCaptured(['info', byShape('current').accession, '--json', ...flags()]);
      expect(run.code, run.stderr).toBe(0);
      await expect(JobStore.open({ dataDir: join(dir, 'data') })).rejects.toMatchObject({ code: 'in-use' });
    } finally {
      await held.close();
    }
  });

  it('rejects bad usage with exit 2 and a hint', async () => {
    expect((await runCliCaptured(['info'])).code).toBe(2);
    expect((await runCliCaptured(['search', '--filter', 'nonsense'])).code).toBe(2);
    expect((await runCliCaptured(['search', '--limit', 'lots'])).stderr).toContain('--limit');
    const unknown = await runCliCaptured(['fetch']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command');
  });

  it('runs as the built `4dn-dl` binary', async () => {
    const bin = join(root, 'bin/4dn-dl.js');
    if (!existsSync(join(root, 'out/main/cli.js'))) {
      throw new Error('out/main/cli.js is missing: run `npm run build` before the tests (npm test does)');
    }
    const file = byShape('current');
    const node = join(root, 'node_modules/.bin/node');
    // Asynchronous: the sample portal answers from this same process.
    const result = await promisify(execFile)(node, [bin, 'info', file.accession, '--json', ...flags()]);
    const out = JSON.parse(result.stdout) as { objects: Array<{ object: { id: string } }> };
    expect(out.objects[0]?.object.id).toBe(file.accession);
  });
});
