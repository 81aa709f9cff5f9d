import { type ChildProcess, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { parseFaultSpec } from '../../sample-portal/fault-spec.ts';
import { startSamplePortal } from '../../sample-portal/server.ts';
import { basicAuth, jsonOf, rawGet } from '../../sample-portal/test-helpers.ts';

const MAIN = fileURLToPath(new URL('../../sample-portal/main.ts', import.meta.url));
const children: ChildProcess[] = [];

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

function run(args: string[]): ChildProcess {
  const child = spawn(process.execPath, ['--experimental-strip-types', '--no-warnings', MAIN, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  return child;
}

function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.once('line', (line) => {
      lines.close();
      resolve(line);
    });
    child.once('exit', (code) => reject(new Error(`portal exited with ${code}`)));
  });
}

function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });
}

describe('npm run portal (sample-portal/main.ts)', () => {
  it('prints one JSON line, serves the seeded files with the faults asked for, and stops on SIGTERM', async () => {
    const reference = await startSamplePortal({ seed: 3, files: 4 });
    const file = reference.files.find((f) => f.status === 'released') as (typeof reference.files)[number];
    await reference.close();
    const child = run([
      '--seed',
      '3',
      '--files',
      '4',
      '--fault',
      `${file.accession}:storageStatus.status=503,storageStatus.retryAfter=7`,
    ]);
    const info = JSON.parse(await firstLine(child));
    expect(Object.keys(info).sort()).toEqual(['key', 'keypairs', 'portal', 'secret', 'storage']);
    expect(info.portal).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(info.key).toBe(reference.key);
    const keypairs = JSON.parse(await readFile(info.keypairs, 'utf8'));
    expect(keypairs.default).toEqual({ key: info.key, secret: info.secret, server: `${info.portal}/` });

    const auth = { authorization: basicAuth(info.key, info.secret) };
    const session = await fetch(`${info.portal}/session-properties`, { headers: auth });
    expect(session.status).toBe(200);
    const search = await jsonOf(await fetch(`${info.portal}/search/?type=File&format=json&limit=all`));
    expect(search.total).toBe(4);
    const redirect = await fetch(`${info.portal}/${file.accession}/@@download`, {
      headers: auth,
      redirect: 'manual',
    });
    expect(redirect.status).toBe(307);
    const location = redirect.headers.get('location') as string;
    expect(location.startsWith(info.storage)).toBe(true);
    const failed = await rawGet(location);
    expect(failed.status).toBe(503);
    expect(failed.headers['retry-after']).toBe('7');
    const served = await rawGet(location);
    expect(served.status).toBe(200);
    expect(served.body.length).toBe(file.size);

    child.kill('SIGTERM');
    expect(await exitOf(child)).toBe(0);
    // Nothing listens there any more.
    await expect(fetch(`${info.portal}/`)).rejects.toMatchObject({ cause: { code: 'ECONNREFUSED' } });
  });

  it('exits with 2 and a message on bad options or an unknown accession', async () => {
    for (const args of [['--files', 'many'], ['--fault', 'TSTFIZZZZZZZ:ignoreRange'], ['--bogus']]) {
      const child = run(args);
      let stderr = '';
      child.stderr?.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      expect(await exitOf(child), args.join(' ')).toBe(2);
      expect(stderr).toMatch(/sample portal: /);
    }
  });
});

describe('--fault specs', () => {
  it('parses numbers, booleans, nested knobs and several knobs at once', () => {
    expect(parseFaultSpec('TSTFI1234567:dropAfterBytes=1000,dropTimes=2,ignoreRange,chunked=false')).toEqual({
      accession: 'TSTFI1234567',
      faults: { dropAfterBytes: 1000, dropTimes: 2, ignoreRange: true, chunked: false },
    });
    expect(
      parseFaultSpec('A:storageStatus.status=429,storageStatus.retryAfter=3,storageStatus.times=4').faults,
    ).toEqual({
      storageStatus: { status: 429, retryAfter: 3, times: 4 },
    });
    expect(parseFaultSpec('A:drsStatus=500').faults).toEqual({ drsStatus: { status: 500, times: 1 } });
    expect(parseFaultSpec('A:accessPending.times=2').faults).toEqual({
      accessPending: { retryAfter: 1, times: 2 },
    });
  });

  it('rejects unknown knobs, bad values and a missing accession', () => {
    expect(() => parseFaultSpec('A:explode=1')).toThrow(/Unknown fault knob/);
    expect(() => parseFaultSpec('A:dropAfterBytes=lots')).toThrow(
      'Bad value in --fault A:dropAfterBytes=lots',
    );
    expect(() => parseFaultSpec('A:ignoreRange=3')).toThrow('ignoreRange must be true or false');
    expect(() => parseFaultSpec('A:storageStatus=42')).toThrow('storageStatus.status must be an HTTP status');
    expect(() => parseFaultSpec('dropAfterBytes=1')).toThrow(
      'Bad --fault dropAfterBytes=1: expected ACCESSION:knob=value[,knob=value...]',
    );
  });
});
