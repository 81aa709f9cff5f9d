import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type SamplePortal, startSamplePortal } from '../../sample-portal/server.ts';
import { runCliCaptured } from '../support/cli-io.ts';

const root = resolve(import.meta.dirname, '../..');
const md5 = (bytes: Buffer) => createHash('md5').update(bytes).digest('hex');

interface Summary {
  ok: number;
  failed: number;
  files: Array<{
    id: string;
    path: string | null;
    status: string;
    checksum: { type: string; value: string } | null;
    error?: { code: string; message: string };
  }>;
}

describe('4dn-dl get and verify against the sample portal', () => {
  let portal: SamplePortal;
  let dir: string;
  let n = 0;
  const fresh = () => join(dir, `out-${++n}`);
  const flags = () => ['--keypairs', portal.keypairsPath, '--data-dir', join(dir, 'state')];
  const released = () => portal.files.filter((f) => f.status === 'released');

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cli-get-'));
    portal = await startSamplePortal({ files: 8, dataDir: join(dir, 'portal') });
  });
  afterEach(() => {
    portal.clearFaults();
  });
  afterAll(async () => {
    await portal?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('downloads the metadata TSV, verifies every file, and skips them all on a rerun', async () => {
    const out = fresh();
    const tsv = join(dir, 'metadata.tsv');
    await writeFile(tsv, portal.metadataTsv());
    const first = await runCliCaptured(['get', '-i', tsv, '-o', out, '--json', ...flags()]);
    const summary = JSON.parse(first.stdout) as Summary;
    const expected = released().flatMap((f) => [
      f,
      ...f.extraFiles.map((x) => ({ ...x, accession: f.accession })),
    ]);
    // The rows the portal itself left out of its TSV (Restricted, Not Yet Uploaded) are not failures.
    expect(first.code, first.stderr).toBe(0);
    expect(summary.files).toHaveLength(expected.length);
    expect(summary.failed).toBe(0);
    for (const file of expected) {
      const bytes = await readFile(join(out, file.fileName));
      expect(md5(bytes)).toBe(file.md5);
      const report = summary.files.find((f) => f.path === join(out, file.fileName));
      expect(report?.status).toBe('verified');
      expect(report?.checksum).toEqual({ type: 'md5', value: file.md5 });
    }
    // Unavailable rows are told on stderr with their line as not included, never downloaded.
    expect(first.stderr).toMatch(
      /metadata\.tsv:\d+: TSTFI\w+: not included: .*(Not Yet Uploaded|Restricted)/,
    );
    expect((await readdir(out)).filter((name) => name.endsWith('.part'))).toEqual([]);

    const servedBefore = expected.reduce((sum, f) => sum + portal.bytesServed(f.fileName), 0);
    const second = await runCliCaptured(['get', '-i', tsv, '-o', out, '--json', ...flags()]);
    expect(second.code, second.stderr).toBe(0);
    const again = JSON.parse(second.stdout) as Summary;
    expect(again.files.map((f) => f.status)).toEqual(expected.map(() => 'skipped'));
    expect(expected.reduce((sum, f) => sum + portal.bytesServed(f.fileName), 0)).toBe(servedBefore);
    expect(portal.authorizationSentToStorage()).toBe(false);
  });

  it('fails a file whose checksum never matches, exits 1, and leaves nothing under its name', async () => {
    const out = fresh();
    const bad = released()[0];
    const good = released()[1];
    if (!bad || !good) throw new Error('need two released files');
    portal.setFaults(bad.accession, { wrongMd5: true });
    const run = await runCliCaptured(['get', bad.accession, good.accession, '-o', out, '--json', ...flags()]);
    expect(run.code).toBe(1);
    const summary = JSON.parse(run.stdout) as Summary;
    expect(summary).toMatchObject({ ok: 1, failed: 1 });
    const failed = summary.files.find((f) => f.id === bad.accession);
    expect(failed?.status).toBe('failed');
    expect(failed?.error?.code).toBe('checksum-mismatch');
    expect(existsSync(join(out, bad.fileName))).toBe(false);
    expect(md5(await readFile(join(out, good.fileName)))).toBe(good.md5);
  });

  it('accounts for every id given: unsupported forms and bad lines are failed entries, exit 1, the rest downloads', async () => {
    const out = fresh();
    const good = released()[0];
    if (!good) throw new Error('need a released file');
    const list = join(dir, 'ids.txt');
    await writeFile(list, `# my files\n\n${good.accession}\nnot an id!\nhttps://example.com/elsewhere\n\n`);
    const run = await runCliCaptured([
      'get',
      'drs://4dn:4DNFIXXXXXXX',
      '-i',
      list,
      '-o',
      out,
      '--json',
      ...flags(),
    ]);
    expect(run.code, run.stderr).toBe(1);
    const summary = JSON.parse(run.stdout) as Summary;
    expect(summary.ok).toBe(1);
    const failed = summary.files.filter((f) => f.status === 'failed');
    expect(failed.map((f) => f.id).sort()).toEqual(
      ['drs://4dn:4DNFIXXXXXXX', 'https://example.com/elsewhere', 'not an id!'].sort(),
    );
    expect(failed.find((f) => f.id.startsWith('drs://'))?.error?.message).toMatch(
      /^argument: Compact DRS ids \(drs:\/\/prefix:accession\) need a resolver/,
    );
    expect(failed.find((f) => f.id.startsWith('https://'))?.error?.message).toMatch(/^ids\.txt:5: /);
    for (const f of failed) expect(f.error?.code).toBe('bad-input');
    // Comments and blank lines are not ids; the good one is on disk.
    expect(summary.files.some((f) => f.id.startsWith('#'))).toBe(false);
    expect(md5(await readFile(join(out, good.fileName)))).toBe(good.md5);
  });

  it('leaves the key at home when --server names another origin, and says so', async () => {
    const good = released()[0];
    if (!good) throw new Error('need a released file');
    const other = portal.portalUrl.replace('127.0.0.1', 'localhost');
    const run = await runCliCaptured(['get', good.accession, '-o', fresh(), '--server', other, ...flags()]);
    expect(run.stderr).toContain(
      `4dn-dl: Not using a key: the key "default" (${portal.keypairsPath}) is for ${portal.portalUrl} and is never sent to ${other}.`,
    );
    expect(run.stderr + run.stdout).not.toContain(portal.secret);
  });

  it('shows a server error text with terminal escapes inert: no control character reaches the terminal', async () => {
    const file = released()[0];
    if (!file) throw new Error('need a released file');
    const hostile = 'Gone\u001b]0;pwned\u0007\u001b[2J\u009b31m\r\nFAKE: all files verified';
    portal.setFaults(file.accession, { drsStatus: { status: 400, message: hostile, times: 20 } });
    const run = await runCliCaptured(['get', file.accession, '-o', fresh(), '--json', ...flags()]);
    expect(run.code).toBe(1);
    const summary = JSON.parse(run.stdout) as Summary;
    const message = summary.files[0]?.error?.message ?? '';
    expect(message).toContain('Gone]0;pwned[2J31m FAKE: all files verified');
    for (const text of [message, run.stderr]) {
      expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    }
  });

  it('starts with a hostile or corrupt settings.json: prototype keys ignored, a corrupt file kept aside', async () => {
    const file = released()[0];
    if (!file) throw new Error('need a released file');
    const state = join(dir, `state-settings-${++n}`);
    await mkdir(state, { recursive: true });
    const own = ['--keypairs', portal.keypairsPath, '--data-dir', state];
    await writeFile(
      join(state, 'settings.json'),
      '{"constructor": 1, "toString": "x", "__proto__": {"a": 1}}',
    );
    const hostile = await runCliCaptured(['get', file.accession, '-o', fresh(), ...own]);
    expect(hostile.code, hostile.stderr).toBe(0);
    await writeFile(join(state, 'settings.json'), '{"concurrency": ');
    const corrupt = await runCliCaptured(['get', file.accession, '-o', fresh(), ...own]);
    expect(corrupt.code, corrupt.stderr).toBe(0);
    const aside = (await readdir(state)).find((name) => name.startsWith('settings.json.corrupt-'));
    expect(aside).toBeDefined();
    expect(await readFile(join(state, aside as string), 'utf8')).toBe('{"concurrency": ');
    expect(corrupt.stderr).toContain(
      `it was kept as ${join(state, aside as string)} and default settings are used`,
    );
  });

  it('exits 3 when the key is rejected and 2 when nothing given is valid', async () => {
    const badKeys = join(dir, 'bad-keypairs.json');
    await writeFile(
      badKeys,
      JSON.stringify({ default: { key: portal.key, secret: 'qqqqqqqqqqqqqqqq', server: portal.portalUrl } }),
      { mode: 0o600 },
    );
    const file = released()[0]?.accession as string;
    const rejected = await runCliCaptured(['get', file, '-o', fresh(), '--json', '--keypairs', badKeys]);
    expect(rejected.code).toBe(3);
    expect(rejected.stdout + rejected.stderr).not.toContain('qqqqqqqqqqqqqqqq');

    const invalid = await runCliCaptured([
      'get',
      'not-an-id',
      'drs://x:y',
      '-o',
      fresh(),
      '--json',
      ...flags(),
    ]);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toContain('not-an-id');
    expect((JSON.parse(invalid.stdout) as Summary).files.map((f) => [f.id, f.status])).toEqual([
      ['not-an-id', 'failed'],
      ['drs://x:y', 'failed'],
    ]);
    expect((await runCliCaptured(['get', ...flags()])).code).toBe(2);
  });

  it('verify confirms good files and names a corrupted or missing one', async () => {
    const out = fresh();
    const [a, b] = released();
    if (!a || !b) throw new Error('need two released files');
    const got = await runCliCaptured(['get', a.accession, b.accession, '-o', out, ...flags()]);
    expect(got.code, got.stderr).toBe(0);
    const ok = await runCliCaptured(['verify', a.accession, b.accession, '-o', out, '--json', ...flags()]);
    expect(ok.code, ok.stderr).toBe(0);
    expect((JSON.parse(ok.stdout) as Summary).files.map((f) => f.status)).toEqual(['verified', 'verified']);

    const path = join(out, a.fileName);
    const bytes = await readFile(path);
    const middle = Math.floor(bytes.length / 2);
    bytes[middle] = (bytes[middle] as number) ^ 0xff;
    await writeFile(path, bytes);
    await rm(join(out, b.fileName));
    const bad = await runCliCaptured(['verify', a.accession, b.accession, '-o', out, '--json', ...flags()]);
    expect(bad.code).toBe(1);
    const files = (JSON.parse(bad.stdout) as Summary).files;
    expect(files[0]?.error?.code).toBe('checksum-mismatch');
    expect(files[1]?.error?.code).toBe('not-found');
  });

  it('resumes after the process is killed with SIGKILL mid-download', async () => {
    const size = 6 * 1024 * 1024;
    const file = portal.addFile({ size, format: 'pairs' });
    portal.setFaults(file.accession, { throughputBytesPerSec: 2 * 1024 * 1024 });
    const out = fresh();
    const args = [
      join(root, 'bin/4dn-dl.js'),
      'get',
      file.accession,
      '-o',
      out,
      '--segments',
      '1',
      '--json',
      ...flags(),
    ];
    const node = join(root, 'node_modules/.bin/node');
    if (!existsSync(join(root, 'out/main/cli.js')))
      throw new Error('run `npm run build` first (npm test does)');

    const child = spawn(node, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let childErr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      childErr += chunk.toString();
    });
    const part = join(out, `${file.fileName}.part`);
    await waitFor(
      async () => ((await stat(part).catch(() => undefined))?.size ?? 0) > size / 4,
      20_000,
      () => `${childErr} ${JSON.stringify(portal.storageRequests().slice(-3))}`,
    );
    child.kill('SIGKILL');
    await exited(child);
    const kept = (await stat(part)).size;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(size);

    portal.clearFaults(file.accession);
    const rerun = spawn(node, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    rerun.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    expect(await exited(rerun)).toBe(0);
    const summary = JSON.parse(stdout) as Summary;
    expect(summary.files[0]?.status).toBe('verified');
    expect(md5(await readFile(join(out, file.fileName)))).toBe(file.md5);
    expect(portal.bytesServed(file.fileName)).toBeLessThan(1.6 * size);
    expect(portal.authorizationSentToStorage()).toBe(false);
  });
});

async function waitFor(
  check: () => Promise<boolean>,
  timeoutMs: number,
  context: () => string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for the download to start: ${context()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolvePromise) => child.on('exit', (code) => resolvePromise(code)));
}
