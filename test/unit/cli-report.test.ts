import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { summaryPath } from '../../src-main/cli/summary-file.ts';
import { runCliCaptured } from '../support/cli-io.ts';

const ok = (id: string, size: number) => ({
  id,
  path: `/data/out/${id}.bed`,
  size,
  checksum: { type: 'md5', value: '0'.repeat(32) },
  status: 'verified',
});
const failed = (id: string, message: string) => ({
  id,
  path: null,
  size: null,
  checksum: null,
  status: 'failed',
  error: { code: 'server-error', message },
});
const summary = (index: number, files: object[]) => ({
  ok: files.filter((f) => (f as { status: string }).status !== 'failed').length,
  failed: files.filter((f) => (f as { status: string }).status === 'failed').length,
  files,
  outDir: '/data/my out',
  shard: { index, count: 3 },
  finishedAt: '2026-12-06T00:00:00.000Z',
});

describe('4dn-dl report', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cli-report-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const write = async (name: string, value: unknown) => {
    const path = join(dir, name);
    await writeFile(path, typeof value === 'string' ? value : JSON.stringify(value));
    return path;
  };

  it('merges shards: totals, failures with reasons, the failed ids and one command to rerun them', async () => {
    const a = await write(
      'summary-1.json',
      summary(1, [ok('TSTFIAAAAAAA', 100), failed('TSTFIBBBBBBB', 'Storage said 503')]),
    );
    const b = await write('summary-2.json', summary(2, [failed('TSTFICCCCCCC', 'Storage said 500')]));
    // Shard 2 rerun: C is done now; the later, better outcome counts.
    const b2 = await write('summary-2-rerun.json', summary(2, [ok('TSTFICCCCCCC', 50)]));
    const result = await runCliCaptured(['report', a, b, b2], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('3 summaries: 3 file(s), 2 verified or already present');
    expect(result.stdout).toContain('1 failed');
    expect(result.stdout).toContain('✗ TSTFIBBBBBBB  Storage said 503 (server-error)');
    expect(result.stdout).toContain('! shard 3 of 3 sent no summary');
    expect(result.stdout).not.toContain('TSTFICCCCCCC');
    const list = join(dir, 'failed-ids.txt');
    expect(await readFile(list, 'utf8')).toBe('TSTFIBBBBBBB\n');
    expect(result.stdout).toContain(`4dn-dl get -i ${list} -o '/data/my out'`);

    const json = await runCliCaptured(['report', a, b2, '--json', '--failed-ids', 'again.txt'], { cwd: dir });
    expect(JSON.parse(json.stdout)).toMatchObject({
      files: 3,
      ok: 2,
      failed: 1,
      bytes: 150,
      failures: [{ id: 'TSTFIBBBBBBB', error: { message: 'Storage said 503' } }],
      missingShards: [{ index: 3, count: 3 }],
      failedIds: join(dir, 'again.txt'),
    });
  });

  it('exits 0 when every shard reported and nothing failed', async () => {
    const files = await Promise.all(
      [1, 2, 3].map((k) => write(`s${k}.json`, summary(k, [ok(`TSTFI${k}AAAAAA`, k)]))),
    );
    const result = await runCliCaptured(['report', ...files], { cwd: dir });
    expect(result.code, result.stdout).toBe(0);
    expect(result.stdout).not.toContain('failed-ids');
  });

  it('refuses files that are not summaries with a reason, exit 2', async () => {
    const text = await write('notes.json', 'not json');
    const shape = await write('other.json', { hello: 1 });
    expect((await runCliCaptured(['report', text], { cwd: dir })).stderr).toMatch(/is not JSON/);
    const other = await runCliCaptured(['report', shape], { cwd: dir });
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/is not a 4dn-dl get summary/);
    expect((await runCliCaptured(['report', join(dir, 'missing.json')])).stderr).toMatch(
      /Cannot read .*ENOENT/,
    );
    expect((await runCliCaptured(['report'])).code).toBe(2);
  });

  it('names summary files per shard with %K and %N', () => {
    expect(summaryPath('s-%K-of-%N.json', { index: 3, count: 16 }, '/w')).toBe('/w/s-3-of-16.json');
    expect(summaryPath('100%%.json', undefined, '/w')).toBe('/w/100%.json');
    expect(() => summaryPath('s-%K.json', undefined, '/w')).toThrow(/no --shard was given/);
  });
});
