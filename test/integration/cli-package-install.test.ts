import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SamplePortal, startSamplePortal } from '../../sample-portal/server.ts';
import { startChild, waitUntil } from '../support/child-process.ts';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '../..');
const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
};

/**
 * What a user does: `npm pack`, then `npm install -g ./<tarball>` into an empty prefix, dependencies from the
 * npm registry only (no node_modules of the checkout), then `4dn-dl` from that prefix. The build is npm test's.
 */
describe('the npm package: pack, install -g, download with the installed 4dn-dl', () => {
  let portal: SamplePortal;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let bin: string;

  beforeAll(async () => {
    if (!existsSync(join(root, 'out/main/cli.js')))
      throw new Error('run `npm run build` first (npm test does)');
    dir = await mkdtemp(join(tmpdir(), 'cli-package-'));
    portal = await startSamplePortal({ files: 8, dataDir: join(dir, 'portal') });
    // Node >= 22 first on PATH (the project's node devDependency); nothing of an npm run that started us.
    const nodeDir = dirname(await realpath(join(root, 'node_modules/.bin/node')));
    env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)));
    env.PATH = `${nodeDir}:${process.env.PATH ?? ''}`;
    bin = join(dir, 'prefix', 'bin', '4dn-dl');
  });
  afterAll(async () => {
    await portal?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('installs with runtime dependencies only and downloads, verifies and serves the UI', async () => {
    // --ignore-scripts: prepack's build is already done, and rebuilding out/ under other running tests would race.
    const packed = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], {
      cwd: root,
      env,
    });
    const [packInfo] = JSON.parse(packed.stdout) as Array<{ filename: string }>;
    const tarball = join(dir, packInfo?.filename ?? 'no-tarball');
    // --prefer-offline: the registry's packages as `npm ci` just cached them, so a machine whose TLS to the
    // registry needs extra CA settings (or a slow registry) does not hang the install; what is installed is the same.
    await run(
      'npm',
      [
        'install',
        '-g',
        '--prefer-offline',
        '--prefix',
        join(dir, 'prefix'),
        '--no-audit',
        '--no-fund',
        tarball,
      ],
      {
        cwd: dir,
        env,
        timeout: 240_000,
      },
    ).catch((error: Error & { stderr?: string; killed?: boolean }) => {
      // npm's own words, so a registry or cache problem on the machine can be told from a packaging fault.
      throw new Error(
        `npm install -g of the tarball failed${error.killed ? ' (timed out)' : ''}: ${error.stderr ?? error.message}`,
      );
    });

    const installed = join(dir, 'prefix', 'lib', 'node_modules', pkg.name);
    const deps = await readdir(join(installed, 'node_modules'));
    expect(deps).toEqual(expect.arrayContaining(['got', 'zod', 'ws', '@github']));
    for (const dev of ['electron', 'react', 'react-dom', 'vite', 'typescript', 'electron-vite', '@biomejs']) {
      expect(deps, dev).not.toContain(dev);
    }
    expect(existsSync(join(installed, 'out', 'renderer', 'index.html'))).toBe(true);

    const version = await run(bin, ['--version'], { env, cwd: dir });
    expect(version.stdout.trim()).toBe(pkg.version);

    const file = portal.files.find((f) => f.status === 'released' && f.extraFiles.length === 0);
    if (!file) throw new Error('the sample portal has no plain released file');
    const out = join(dir, 'out');
    const got = await run(
      bin,
      [
        'get',
        file.accession,
        '-o',
        out,
        '--json',
        '--keypairs',
        portal.keypairsPath,
        '--data-dir',
        join(dir, 'state'),
      ],
      { env, cwd: dir },
    );
    const summary = JSON.parse(got.stdout) as { ok: number; files: Array<{ status: string }> };
    expect(summary.files.map((f) => f.status)).toEqual(['verified']);
    const bytes = await readFile(join(out, file.fileName));
    expect(createHash('md5').update(bytes).digest('hex')).toBe(file.md5);
    expect(portal.bytesServed(file.fileName)).toBe(file.size);

    // The hash worker is a chunk of its own (electron.vite.config.ts): a lost one only costs a second read, so
    // check here that every worker the installed chunks start is shipped, and hashes the download to its md5.
    const chunks = join(installed, 'out', 'main', 'chunks');
    const workers: URL[] = [];
    for (const name of await readdir(chunks)) {
      const code = await readFile(join(chunks, name), 'utf8');
      for (const [, path] of code.matchAll(/new Worker\(new URL\("([^"]+)", import\.meta\.url\)/g)) {
        workers.push(new URL(path as string, pathToFileURL(join(chunks, name))));
      }
    }
    expect(workers).toHaveLength(1);
    const hashThread = workers[0] as URL;
    expect(existsSync(fileURLToPath(hashThread)), hashThread.href).toBe(true);
    const askWorker = join(dir, 'ask-worker.mjs');
    await writeFile(
      askWorker,
      `import { Worker } from 'node:worker_threads';
      const [url, path, size] = process.argv.slice(2);
      const worker = new Worker(new URL(url));
      worker.on('message', (answer) => { console.log(JSON.stringify(answer)); process.exit(0); });
      worker.postMessage({ type: 'open', id: 1, path, algorithm: 'md5' });
      worker.postMessage({ type: 'finish', id: 1, end: Number(size) });`,
    );
    const hashed = await run(
      'node',
      [askWorker, hashThread.href, join(out, file.fileName), String(file.size)],
      { env, cwd: dir },
    );
    expect(JSON.parse(hashed.stdout)).toEqual({ id: 1, hashed: file.size, digest: file.md5 });

    const serve = startChild(bin, ['serve', '--port', '0', '--data-dir', join(dir, 'state'), '--out', out], {
      env,
      cwd: dir,
    });
    await waitUntil(
      () => /Open (\S+)/.test(serve.stdout()),
      30_000,
      () => serve.stderr(),
    );
    const url = /Open (\S+)/.exec(serve.stdout())?.[1] ?? '';
    expect(new URL(url).hostname).toBe('127.0.0.1');
    expect(new URL(url).searchParams.get('token')).toMatch(/.{20,}/);
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root"');
    serve.child.kill('SIGTERM');
    expect(await serve.exit).toBe(0);
  }, 300_000);
});
