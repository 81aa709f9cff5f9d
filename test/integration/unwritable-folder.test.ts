import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SamplePortal, startSamplePortal } from '../../sample-portal/server.ts';
import type { Job } from '../../src-shared/domain/job.ts';
import { makeScratch, openSocket, WireClient } from '../support/web-host.ts';

/**
 * A destination under a parent that refuses children with ENOENT (/proc) made node's recursive mkdir spin a
 * libuv thread forever: the CLI never ended, the web host burnt a core with the job stuck at "Resolving", and
 * neither stopped on SIGTERM. Real processes here, since the spin and the signals are the process's.
 */
const root = resolve(import.meta.dirname, '../..');
const node = join(root, 'node_modules/.bin/node');
const BAD = '/proc/nope/x';
const md5 = (bytes: Buffer) => createHash('md5').update(bytes).digest('hex');

describe('a download folder that cannot be created', () => {
  let portal: SamplePortal;
  let scratch: Awaited<ReturnType<typeof makeScratch>>;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    if (process.platform !== 'linux') throw new Error('these tests need Linux (/proc)');
    if (!existsSync(join(root, 'out/main/cli.js')))
      throw new Error('run `npm run build` first (npm test does)');
    scratch = await makeScratch();
    portal = await startSamplePortal({ files: 4, dataDir: join(scratch.root, 'portal') });
  });
  afterAll(async () => {
    for (const child of children)
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await portal?.close();
    await scratch?.cleanup();
  });

  function start(args: string[]): {
    child: ChildProcess;
    exit: Promise<number | null>;
    stderr: () => string;
  } {
    const child = spawn(node, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const exit = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    return { child, exit, stderr: () => stderr };
  }

  it('4dn-dl get -o /proc/nope/x ends at once with exit 2 and a reason naming the folder', async () => {
    const accession = portal.files[0]?.accession as string;
    const state = join(scratch.root, 'cli-state');
    const run = start([
      'bin/4dn-dl.js',
      'get',
      accession,
      '-o',
      BAD,
      '--keypairs',
      portal.keypairsPath,
      '--data-dir',
      state,
    ]);
    expect(await exitWithin(run.child, run.exit, 15_000)).toBe(2);
    expect(run.stderr()).toContain(`Cannot create ${BAD}`);
    expect(run.stderr()).toContain('Choose a folder');

    // The state folder is made the same way.
    const badState = start(
      ['bin/4dn-dl.js', 'get', accession, '-o', join(scratch.root, 'cli-out')].concat([
        '--keypairs',
        portal.keypairsPath,
        '--data-dir',
        '/proc/nope/state',
      ]),
    );
    expect(await exitWithin(badState.child, badState.exit, 15_000)).toBe(2);
    expect(badState.stderr()).toContain('Cannot create /proc/nope/state');

    // A folder that exists but takes no files (sysfs refuses even root) is judged before anything is queued.
    const readOnly = start(
      ['bin/4dn-dl.js', 'get', accession, '-o', '/sys/kernel'].concat([
        '--keypairs',
        portal.keypairsPath,
        '--data-dir',
        state,
      ]),
    );
    expect(await exitWithin(readOnly.child, readOnly.exit, 15_000)).toBe(2);
    expect(readOnly.stderr()).toContain('Cannot write to /sys/kernel');
  });

  it('the web host fails that job with the reason, downloads the rest, stays idle and stops on SIGTERM', async () => {
    const host = start([
      'src-main/web/main.ts',
      '--port',
      '0',
      '--data-dir',
      join(scratch.root, 'web-data'),
      '--keypairs',
      portal.keypairsPath,
      '--renderer',
      scratch.rendererDir,
    ]);
    const lines = createInterface({ input: host.child.stdout as NodeJS.ReadableStream });
    const first = await new Promise<string>((done) => lines.once('line', done));
    const url = new URL(first.replace(/^Open /, ''));
    const wire = new WireClient(
      await openSocket({ port: Number(url.port), token: url.searchParams.get('token') }),
    );
    const [blocked, fine] = portal.files.filter((f) => f.status === 'released');
    if (!blocked || !fine) throw new Error('the sample portal has too few released files');
    const good = join(scratch.root, 'web-out');
    expect((await wire.invoke('queue:add', { items: [blocked.accession], destDir: BAD })).ok).toBe(true);
    expect((await wire.invoke('queue:add', { items: [fine.accession], destDir: good })).ok).toBe(true);
    // A folder that exists but takes no files (sysfs refuses even root).
    expect((await wire.invoke('queue:add', { items: [fine.accession], destDir: '/sys/kernel' })).ok).toBe(
      true,
    );

    const jobs = async (): Promise<Job[]> => {
      const result = await wire.invoke('queue:snapshot', {});
      if (!result.ok) throw new Error(result.error.message);
      return (result.value as { jobs: Job[] }).jobs;
    };
    // The rest of the queue goes on: the good folder's file arrives, verified.
    await waitFor(async () => (await jobs()).some((j) => j.destDir === good && j.state === 'done'), 30_000);
    expect(md5(await readFile(join(good, fine.fileName)))).toBe(fine.md5);

    // Nothing spins while the bad job sits in the queue: the process is idle.
    const cpu = await cpuOver(host.child.pid as number, 2000);
    expect(cpu.seconds, `CPU ${cpu.seconds.toFixed(2)} s in ${cpu.wall.toFixed(2)} s`).toBeLessThan(
      0.25 * cpu.wall,
    );

    const bad = (await jobs()).find((j) => j.destDir === BAD);
    expect(bad?.state).toBe('failed');
    expect(bad?.error?.message).toContain(`Cannot create ${BAD}`);
    const refused = (await jobs()).find((j) => j.destDir === '/sys/kernel');
    expect(refused?.state).toBe('failed');
    expect(refused?.error?.message).toContain(
      'Cannot write to /sys/kernel: permission denied. Choose a folder',
    );

    // Remove works on it, and SIGTERM ends the host within a few seconds.
    const removed = await wire.invoke('queue:remove', { ids: [bad?.id as string] });
    expect(removed.ok && (removed.value as { affected: number }).affected).toBe(1);
    host.child.kill('SIGTERM');
    expect(await exitWithin(host.child, host.exit, 8000)).toBe(0);
  });
});

/** The process's exit code, or a failure (and SIGKILL) when it is still running after `ms`. */
async function exitWithin(
  child: ChildProcess,
  exit: Promise<number | null>,
  ms: number,
): Promise<number | null> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((done) => {
    timer = setTimeout(() => done('late'), ms);
  });
  const result = await Promise.race([exit, late]);
  clearTimeout(timer);
  if (result === 'late') {
    child.kill('SIGKILL');
    throw new Error(`the process was still running ${ms} ms later`);
  }
  return result;
}

/** CPU seconds (user + system, from /proc/PID/stat) the process used over about `ms` of wall time. */
async function cpuOver(pid: number, ms: number): Promise<{ seconds: number; wall: number }> {
  const ticks = async () => {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // After the name: state is field 3, utime 14 and stime 15 (1-based in proc(5)).
    return Number(fields[11]) + Number(fields[12]);
  };
  const startTicks = await ticks();
  const started = performance.now();
  await new Promise((r) => setTimeout(r, ms));
  const used = (await ticks()) - startTicks;
  // USER_HZ is 100 on every Linux build we run on (getconf CLK_TCK).
  return { seconds: used / 100, wall: (performance.now() - started) / 1000 };
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
