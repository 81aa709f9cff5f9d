import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lockQueue, STALE_AFTER_MS, socketAddress } from '../../src-main/core/store/queue-lock.ts';

/**
 * The queue lock against real processes: a holder killed with SIGKILL and left unreaped (a zombie, as under
 * containers whose init reaps late) must not block the next run, a pid merely in use by someone else must not
 * either, and a live holder here or a fresh one on another host sharing the folder must.
 */
const root = resolve(import.meta.dirname, '../..');
const node = join(root, 'node_modules/.bin/node');
const lockModule = join(root, 'src-main/core/store/queue-lock.ts');

describe('queue lock', () => {
  let scratch: string;
  let holderScript: string;
  let n = 0;
  const fresh = () => join(scratch, `queue-${++n}`);
  const spawned: number[] = [];

  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'queue-lock-'));
    holderScript = join(scratch, 'holder.mts');
    // Takes the lock, says so, and holds it until killed.
    await writeFile(
      holderScript,
      `import { lockQueue } from ${JSON.stringify(lockModule)};\n` +
        'await lockQueue(process.argv[2]);\n' +
        "process.stdout.write('locked\\n');\n" +
        'setInterval(() => {}, 1000);\n',
    );
  });
  afterAll(async () => {
    for (const pid of spawned) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
    await rm(scratch, { recursive: true, force: true });
  });

  function firstLines(child: ChildProcess, count: number): Promise<string[]> {
    const lines: string[] = [];
    const reader = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    let err = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    return new Promise((done, fail) => {
      reader.on('line', (line) => {
        lines.push(line);
        if (lines.length === count) done(lines);
      });
      child.once('exit', () => fail(new Error(`exited before ${count} lines: ${lines.join('|')} ${err}`)));
    });
  }

  it('a rerun right after SIGKILL of a holder left unreaped (a zombie) takes the lock', async () => {
    const dir = fresh();
    // The shell starts the holder in the background, prints its pid, then becomes `sleep`, which never
    // waits for children: once killed, the holder stays a zombie whose pid still "runs" for kill(pid, 0).
    const shell = spawn('sh', ['-c', `"${node}" "${holderScript}" "${dir}" & echo $!; exec sleep 60`], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    spawned.push(shell.pid as number);
    const [pidLine, locked] = await firstLines(shell, 2);
    expect(locked).toBe('locked');
    const holder = Number(pidLine);
    spawned.push(holder);
    await expect(lockQueue(dir)).rejects.toMatchObject({
      code: 'in-use',
      message: expect.stringContaining(`(pid ${holder} on host ${hostname()})`),
    });

    process.kill(holder, 'SIGKILL');
    await waitFor(async () => (await procState(holder)) === 'Z');
    expect(() => process.kill(holder, 0)).not.toThrow();

    const lock = await lockQueue(dir);
    const info = JSON.parse(await readFile(join(dir, 'queue.lock'), 'utf8'));
    expect(info).toMatchObject({ pid: process.pid, host: hostname() });
    await lock.release();
  });

  it('a lock file naming a live unrelated process does not block', async () => {
    for (const text of [
      `${process.ppid} ${hostname()}`,
      `1 ${hostname()}`,
      JSON.stringify({ pid: process.ppid, host: hostname(), started: new Date().toISOString() }),
    ]) {
      const dir = fresh();
      await lockQueue(dir).then((l) => l.release());
      await writeFile(join(dir, 'queue.lock'), text);
      const lock = await lockQueue(dir);
      await lock.release();
    }
  });

  it('a live holder blocks, with who holds it, and the lock is free once it exits', async () => {
    const dir = fresh();
    const holder = spawn(node, [holderScript, dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    spawned.push(holder.pid as number);
    expect(await firstLines(holder, 1)).toEqual(['locked']);
    await expect(lockQueue(dir)).rejects.toMatchObject({
      code: 'in-use',
      message: expect.stringContaining(
        `in use by another 4DN Downloader (pid ${holder.pid} on host ${hostname()})`,
      ),
    });
    const exited = new Promise((done) => holder.once('exit', done));
    holder.kill('SIGTERM');
    await exited;
    await (await lockQueue(dir)).release();
  });

  it("another host's lock holds while its heartbeat is fresh, and is taken over once stale", async () => {
    const dir = fresh();
    await lockQueue(dir).then((l) => l.release());
    const info = join(dir, 'queue.lock');
    await writeFile(
      info,
      JSON.stringify({ pid: 4242, host: 'other-host.example', started: new Date().toISOString() }),
    );
    await expect(lockQueue(dir)).rejects.toMatchObject({
      code: 'in-use',
      message: expect.stringContaining('(pid 4242 on host other-host.example)'),
    });
    const old = new Date(Date.now() - STALE_AFTER_MS - 5000);
    await utimes(info, old, old);
    const lock = await lockQueue(dir);
    expect(JSON.parse(await readFile(info, 'utf8'))).toMatchObject({ pid: process.pid, host: hostname() });
    await lock.release();
  });

  it('its holder keeps the info file fresh for other hosts', async () => {
    const dir = fresh();
    const lock = await lockQueue(dir, 'queue.lock', { heartbeatMs: 50 });
    const info = join(dir, 'queue.lock');
    const old = new Date(Date.now() - STALE_AFTER_MS - 5000);
    await utimes(info, old, old);
    await waitFor(async () => Date.now() - (await stat(info)).mtimeMs < STALE_AFTER_MS);
    await lock.release();
    await expect(stat(info)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('keeps socket addresses within the limit for long paths', () => {
    const long = `/${'x'.repeat(150)}/queue.lock`;
    expect(socketAddress(long, 'darwin').startsWith(tmpdir())).toBe(true);
    expect(socketAddress('/q/queue.lock', 'darwin')).toBe('/q/queue.lock.sock');
    expect(socketAddress(long, 'linux').startsWith('\0')).toBe(true);
    expect(socketAddress(long, 'win32').startsWith('\\\\?\\pipe\\')).toBe(true);
  });
});

async function procState(pid: number): Promise<string | undefined> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  return stat?.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
}

async function waitFor(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
