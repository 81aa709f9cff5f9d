import { createHash } from 'node:crypto';
import { chmod, copyFile, mkdtemp, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SamplePortal, startSamplePortal } from '../../sample-portal/server.ts';
import { createMemoryStore } from '../../src-main/core/auth/memory-store.ts';
import { createServices, type Services } from '../../src-main/core/services.ts';
import type { InvokeChannel, InvokeInput, InvokeOutput } from '../../src-shared/ipc/contract.ts';

/**
 * The channels an adapter needs to run a whole download and re-check it (what `4dn-dl get` and `verify` use),
 * through the real router of the services every adapter opens, against the sample portal. Outputs are
 * checked against the contract by test/support/contract-setup.ts.
 */
const md5 = (bytes: Uint8Array) => createHash('md5').update(bytes).digest('hex');

let portal: SamplePortal;
let root: string;
const opened: Services[] = [];

async function open(
  options: { keypairsPath?: string; startQueue?: boolean; concurrency?: number } = {},
): Promise<Services> {
  const services = await createServices({
    dataDir: join(root, `state-${opened.length}`),
    host: 'cli',
    keypairsPath: options.keypairsPath ?? portal.keypairsPath,
    credentialStore: createMemoryStore(),
    downloadDir: join(root, 'downloads'),
    startQueue: options.startQueue ?? true,
    ...(options.concurrency ? { settingsOverrides: { concurrency: options.concurrency } } : {}),
  });
  opened.push(services);
  return services;
}

async function call<C extends InvokeChannel>(
  services: Services,
  channel: C,
  input: InvokeInput<C>,
): Promise<InvokeOutput<C>> {
  const result = await services.router.call(channel, input);
  if (!result.ok) throw new Error(`${channel}: ${result.error.code}: ${result.error.message}`);
  return result.value as InvokeOutput<C>;
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'adapter-channels-'));
  portal = await startSamplePortal({ files: 6, dataDir: join(root, 'portal') });
});
afterAll(async () => {
  for (const services of opened) await services.close();
  await portal?.close();
  await rm(root, { recursive: true, force: true });
});

describe('queue:wait-idle, files:verify and profiles:resolve through the router', () => {
  const released = () => portal.files.filter((f) => f.status === 'released');
  const downloads = () => join(root, 'downloads');

  it('queue:wait-idle answers once every queued job has finished, with the finished jobs; a paused one does not hold it', async () => {
    // One at a time, so the third job is still queued when it is paused.
    const services = await open({ startQueue: false, concurrency: 1 });
    // Nothing queued: it answers at once, even with the queue not started.
    expect(await call(services, 'queue:wait-idle', {})).toMatchObject({ jobs: [], totals: { jobs: 0 } });
    await services.start();
    const [a, b, c] = released();
    if (!a || !b || !c) throw new Error('need three released files');
    const added = await call(services, 'queue:add', { items: [a.accession, b.accession, c.accession] });
    const [, , pausedId] = added.jobIds;
    expect(await call(services, 'queue:pause', { ids: [pausedId as string] })).toEqual({ affected: 1 });
    const idle = await call(services, 'queue:wait-idle', {});
    expect(idle.jobs.map((j) => [j.source, j.state, j.verification])).toEqual([
      [a.accession, 'done', 'verified'],
      [b.accession, 'done', 'verified'],
      [c.accession, 'paused', 'pending'],
    ]);
    expect(idle.totals).toMatchObject({ jobs: 3, done: 2, paused: 1, active: 0, queued: 0 });
    // The answer came after the bytes were on disk, and the paused file was never fetched.
    for (const file of [a, b]) expect(md5(await readFile(join(downloads(), file.fileName)))).toBe(file.md5);
    expect(portal.bytesServed(c.fileName)).toBe(0);
    expect(portal.authorizationSentToStorage()).toBe(false);
  });

  it('files:verify hashes each file on disk again, per id in order, naming what is wrong with each', async () => {
    // The files the test above downloaded, checked by a process without a queue, as `4dn-dl verify` runs.
    const services = await open();
    const [a, b, c] = released();
    if (!a || !b || !c) throw new Error('need three released files');
    const good = await call(services, 'files:verify', { ids: [a.accession, b.accession], dir: downloads() });
    expect(good.results).toEqual([
      {
        input: a.accession,
        path: join(downloads(), a.fileName),
        size: a.size,
        checksum: { type: 'md5', value: a.md5 },
        status: 'verified',
      },
      {
        input: b.accession,
        path: join(downloads(), b.fileName),
        size: b.size,
        checksum: { type: 'md5', value: b.md5 },
        status: 'verified',
      },
    ]);

    // One byte flipped, size and mtime put back: a cache keyed on them would still say verified.
    const path = join(downloads(), b.fileName);
    const before = await stat(path);
    const bytes = await readFile(path);
    bytes[7] = (bytes[7] as number) ^ 0xff;
    await writeFile(path, bytes);
    await utimes(path, before.atime, before.mtime);
    const ids = [a.accession, b.accession, c.accession, 'TSTFI0000000', 'not an id'];
    const { results } = await call(services, 'files:verify', { ids, dir: downloads() });
    expect(results.map((r) => [r.input, r.status, r.error?.code])).toEqual([
      [a.accession, 'verified', undefined],
      [b.accession, 'failed', 'checksum-mismatch'],
      [c.accession, 'failed', 'not-found'],
      ['TSTFI0000000', 'failed', 'not-found'],
      ['not an id', 'failed', 'unsupported-id'],
    ]);
    expect(results[1]?.error?.message).toBe(`md5 is ${md5(bytes)}, expected ${b.md5}: download it again.`);
    expect(results[2]?.error?.message).toBe(`Not in ${downloads()}: download it first.`);

    const relative = await call(services, 'files:verify', { ids: [a.accession], dir: 'downloads' });
    expect(relative.results[0]?.error).toEqual({
      code: 'bad-input',
      message: 'Give the folder as an absolute path, not downloads.',
    });
  });

  it('profiles:resolve names the key in use and what resolution warned about, never the secret', async () => {
    const services = await open();
    const answer = await call(services, 'profiles:resolve', {});
    expect(answer).toEqual({
      source: 'keypairs',
      profile: 'default',
      path: portal.keypairsPath,
      server: portal.portalUrl,
      warnings: [],
    });

    // A key file other users can read still works, with a warning; a profile it lacks is an error.
    const shared = join(root, 'shared-keypairs.json');
    await copyFile(portal.keypairsPath, shared);
    await chmod(shared, 0o644);
    const loose = await open({ keypairsPath: shared });
    const warned = await call(loose, 'profiles:resolve', {});
    expect(warned.warnings).toEqual([
      `${shared} can be read by other users (mode 644): run chmod 600 ${shared}`,
    ]);
    expect(JSON.stringify(warned)).not.toContain(portal.secret);
    const missing = await loose.router.call('profiles:resolve', { profile: 'nobody' });
    expect(missing).toMatchObject({ ok: false, error: { code: 'auth-missing' } });
  });
});
