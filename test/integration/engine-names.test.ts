import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DownloadSourceLike, SourceTarget } from '../../src-main/core/downloads/job/source.ts';
import { DownloadEngine } from '../../src-main/core/downloads/queue/engine.ts';
import { EventHub } from '../../src-main/core/events.ts';
import { JobStore } from '../../src-main/core/store/job-store.ts';
import type { Checksum } from '../../src-shared/domain/drs.ts';
import { defaultSettings } from '../../src-shared/domain/settings.ts';

/**
 * Names from storage URLs, Content-Disposition and DRS, against a small storage server of our own (the sample
 * portal only serves well-formed names): whatever a server says, files land inside the download folder.
 */
interface Blob {
  body: Buffer;
  disposition?: string;
}

const blobs = new Map<string, Blob>();
let server: Server;
let storage: string;
let root: string;
let downloadDir: string;
let store: JobStore;
let engine: DownloadEngine;
let cases = 0;
const requests: Array<{ path: string; authorization: boolean; encoding: string | undefined }> = [];

/** A source whose targets are whatever the test registered under an input. */
const targets = new Map<string, { name: string; path: string; checksums: Checksum[]; size?: number }>();
const source: DownloadSourceLike = {
  async target(input) {
    const entry = targets.get(String(input));
    if (!entry) throw new Error(`unknown test input ${String(input)}`);
    return {
      fileName: entry.name,
      checksums: entry.checksums,
      size: entry.size,
      path: entry.path,
    } as SourceTarget;
  },
  async freshUrl(target) {
    return { url: `${storage}${(target as SourceTarget & { path: string }).path}`, headers: {} };
  },
};

function serve(path: string, body: Buffer, disposition?: string): void {
  blobs.set(path, disposition === undefined ? { body } : { body, disposition });
}
const md5 = (data: Buffer) => createHash('md5').update(data).digest('hex');

beforeAll(async () => {
  server = createServer((req, res) => {
    requests.push({
      path: req.url ?? '',
      authorization: req.headers.authorization !== undefined,
      encoding: req.headers['accept-encoding'],
    });
    const blob = blobs.get(req.url ?? '');
    if (!blob) {
      res.writeHead(404).end();
      return;
    }
    const headers: Record<string, string | number> = { 'content-length': blob.body.length };
    if (blob.disposition) headers['content-disposition'] = blob.disposition;
    res.writeHead(200, headers).end(blob.body);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  storage = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  root = await mkdtemp(join(tmpdir(), 'engine-names-'));
});

beforeEach(async () => {
  await engine?.close();
  await store?.close();
  const dir = join(root, `case-${++cases}`);
  downloadDir = join(dir, 'downloads');
  await mkdir(downloadDir, { recursive: true });
  store = await JobStore.open({ dataDir: join(dir, 'data') });
  engine = new DownloadEngine({
    store,
    sourceFor: async () => source,
    settings: () => defaultSettings(downloadDir),
    events: new EventHub(),
    stallTimeoutMs: 1000,
  });
  await engine.start();
});

afterAll(async () => {
  await engine?.close();
  await store?.close();
  await new Promise((done) => server.close(done));
  await rm(root, { recursive: true, force: true });
  expect(requests.some((r) => r.authorization)).toBe(false);
  expect(requests.length).toBeGreaterThan(5);
  expect(requests.every((r) => r.encoding === 'identity')).toBe(true);
});

async function download(...inputs: string[]) {
  const { jobIds } = engine.add(
    inputs.map((input) => ({ input })),
    { destDir: downloadDir },
  );
  await engine.whenIdle();
  return jobIds.map((id) => engine.job(id));
}

describe('file names from servers', () => {
  it('keeps a traversal in Content-Disposition inside the folder', async () => {
    const body = Buffer.from('#!/bin/sh\necho pwned\n');
    serve('/objects/abc', body, 'attachment; filename="../../../evil.sh"');
    targets.set('t1', {
      name: 'drs-name.sh',
      path: '/objects/abc',
      checksums: [{ type: 'md5', value: md5(body) }],
    });
    const [job] = await download('t1');
    expect(job).toMatchObject({ state: 'done', verification: 'verified', name: 'evil.sh' });
    expect(job?.path).toBe(join(downloadDir, 'evil.sh'));
    expect(await readdir(join(downloadDir, '..'))).not.toContain('evil.sh');
    expect(await readdir(root)).not.toContain('evil.sh');
    expect(await readFile(join(downloadDir, 'evil.sh'))).toEqual(body);
  });

  it('defuses traversal and device names given by DRS', async () => {
    const body = Buffer.from('data');
    serve('/objects/def', body);
    targets.set('t2', {
      name: '..\\..\\CON.txt',
      path: '/objects/def',
      checksums: [{ type: 'md5', value: md5(body) }],
    });
    targets.set('t3', {
      name: '../..',
      path: '/objects/def',
      checksums: [{ type: 'md5', value: md5(body) }],
    });
    const [a, b] = await download('t2', 't3');
    expect(a).toMatchObject({ state: 'done', name: '_CON.txt' });
    expect(b).toMatchObject({ state: 'done', name: 't3' });
    expect((await readdir(downloadDir)).sort()).toEqual(['_CON.txt', 't3']);
  });

  it('gives two files with the same name in one queue different names', async () => {
    const one = Buffer.from('first file');
    const two = Buffer.from('second file');
    serve('/a/same.txt', one);
    serve('/b/same.txt', two);
    targets.set('s1', { name: 'x', path: '/a/same.txt', checksums: [{ type: 'md5', value: md5(one) }] });
    targets.set('s2', { name: 'x', path: '/b/same.txt', checksums: [{ type: 'md5', value: md5(two) }] });
    const jobs = await download('s1', 's2');
    expect(jobs.map((j) => j?.state)).toEqual(['done', 'done']);
    expect(jobs.map((j) => j?.name).sort()).toEqual(['same (1).txt', 'same.txt']);
    const contents = await Promise.all(jobs.map((j) => readFile(j?.path as string, 'utf8')));
    expect(contents.sort()).toEqual(['first file', 'second file']);
  });
});

describe('folders that cannot be written', () => {
  it('fails io-error, saying which folder, when the download folder cannot be created', async () => {
    const body = Buffer.from('x');
    serve('/w/file.txt', body);
    targets.set('w1', { name: 'file.txt', path: '/w/file.txt', checksums: [] });
    await writeFile(join(downloadDir, 'not-a-folder'), 'a file where a folder should be');
    const destDir = join(downloadDir, 'not-a-folder', 'sub');
    const { jobIds } = engine.add([{ input: 'w1' }], { destDir });
    await engine.whenIdle();
    const job = engine.job(jobIds[0] as string);
    expect(job).toMatchObject({ state: 'failed', error: { code: 'io-error' } });
    expect(job?.error?.message).toContain(destDir);
  });
});

describe('what can and cannot be verified', () => {
  it('marks a file with only a multipart etag as not verifiable, never verified', async () => {
    const body = Buffer.from('multipart object');
    serve('/m/multi.bam', body);
    targets.set('m1', {
      name: 'multi.bam',
      path: '/m/multi.bam',
      checksums: [{ type: 'etag', value: '"0123456789abcdef0123456789abcdef-3"' }],
    });
    const [job] = await download('m1');
    expect(job).toMatchObject({ state: 'done', verification: 'unverifiable' });
    expect(job?.note).toMatch(/not verifiable: .*multipart etag/);
    expect(await readFile(job?.path as string)).toEqual(body);
  });

  it('marks a file without any checksum unverified', async () => {
    const body = Buffer.from('no checksum');
    serve('/n/plain.txt', body);
    targets.set('n1', { name: 'plain.txt', path: '/n/plain.txt', checksums: [] });
    const [job] = await download('n1');
    expect(job).toMatchObject({ state: 'done', verification: 'unverified' });
    expect(job?.note).toMatch(/unverified/);
  });

  it('checks a single-part etag as md5 and fails a wrong one', async () => {
    const body = Buffer.from('etag object');
    serve('/e/good.bin', body);
    serve('/e/bad.bin', body);
    targets.set('e1', {
      name: 'good.bin',
      path: '/e/good.bin',
      checksums: [{ type: 'etag', value: `"${md5(body)}"` }],
    });
    targets.set('e2', {
      name: 'bad.bin',
      path: '/e/bad.bin',
      checksums: [{ type: 'ETag', value: `"${md5(Buffer.from('x'))}"` }],
    });
    const [good, bad] = await download('e1', 'e2');
    expect(good).toMatchObject({ state: 'done', verification: 'verified' });
    expect(bad).toMatchObject({
      state: 'failed',
      verification: 'mismatch',
      error: { code: 'checksum-mismatch' },
    });
    expect(await readdir(downloadDir)).toEqual(['good.bin']);
  });

  it('never replaces a verified file with an unverified download of the same name', async () => {
    const mine = Buffer.from('verified earlier');
    const theirs = Buffer.from('different bytes, no checksum');
    await writeFile(join(downloadDir, 'keep.txt'), mine);
    serve('/k/keep.txt', theirs);
    targets.set('k1', { name: 'keep.txt', path: '/k/keep.txt', checksums: [] });
    const [job] = await download('k1');
    expect(job).toMatchObject({ state: 'done', verification: 'unverified', name: 'keep (1).txt' });
    expect(await readFile(join(downloadDir, 'keep.txt'))).toEqual(mine);
  });
});
