import { spawn, spawnSync } from 'node:child_process';
import { closeSync, constants, existsSync, openSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * SIGTERM must end the CLI within a few seconds whatever it is waiting on, not only where a command watches
 * for Ctrl-C: here its input list is a pipe that never ends (a producer that hangs).
 */
const root = resolve(import.meta.dirname, '../..');
const node = join(root, 'node_modules/.bin/node');

describe('4dn-dl stopping on SIGTERM', () => {
  let dir: string;
  beforeAll(async () => {
    if (!existsSync(join(root, 'out/main/cli.js')))
      throw new Error('run `npm run build` first (npm test does)');
    dir = await mkdtemp(join(tmpdir(), 'cli-stop-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('ends by SIGTERM within the stop bound while reading an input that never ends', async () => {
    const fifo = join(dir, 'ids.fifo');
    const made = spawnSync('mkfifo', [fifo]);
    if (made.status !== 0) throw new Error(`mkfifo failed (coreutils): ${made.stderr}`);
    const child = spawn(
      node,
      ['bin/4dn-dl.js', 'get', '-i', fifo, '-o', join(dir, 'out'), '--data-dir', join(dir, 'state')],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const exit = new Promise<string>((done) => child.on('exit', (code, signal) => done(`${code}/${signal}`)));
    try {
      // Wait until the CLI has the pipe open for reading (opening the write end fails with ENXIO before),
      // then keep the write end open without writing: its read never ends.
      let writer: number | undefined;
      const deadline = Date.now() + 20_000;
      while (writer === undefined) {
        try {
          writer = openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'ENXIO') throw error;
          if (Date.now() > deadline) throw new Error(`the CLI never opened its input: ${stderr}`);
          await new Promise((r) => setTimeout(r, 50));
        }
      }
      const sent = performance.now();
      child.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const code = await Promise.race([
        exit,
        new Promise<'late'>((done) => {
          timer = setTimeout(() => done('late'), 15_000);
        }),
      ]);
      clearTimeout(timer);
      closeSync(writer);
      // Ended by TERM's own default action: node's exit would wait for the blocked read for good.
      expect(code, stderr).toBe('null/SIGTERM');
      expect(performance.now() - sent).toBeLessThan(10_000);
      expect(stderr).toContain('partial downloads are kept');
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });
});
