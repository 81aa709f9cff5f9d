import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../src-main/cli/io.ts';
import { runCli } from '../../src-main/cli/run-cli.ts';
import { waitUntil } from '../support/child-process.ts';
import { runCliCaptured } from '../support/cli-io.ts';
import { makeScratch, openSocket, WireClient } from '../support/web-host.ts';

describe('4dn-dl serve', () => {
  let scratch: Awaited<ReturnType<typeof makeScratch>>;
  beforeAll(async () => {
    scratch = await makeScratch();
  });
  afterAll(async () => {
    await scratch?.cleanup();
  });

  it('serves the UI on loopback with a token, --out as its download folder, until Ctrl-C', async () => {
    let stdout = '';
    let stderr = '';
    let stop = () => {};
    const io: CliIo = {
      stdout: { write: (text: string) => (stdout += text) },
      stderr: { write: (text: string) => (stderr += text) },
      stdin: Readable.from([]) as CliIo['stdin'],
      env: process.env,
      cwd: scratch.root,
      interrupted: new Promise<void>((resolve) => {
        stop = resolve;
      }),
    };
    const done = runCli(
      ['serve', '--port', '0', '--data-dir', 'state', '--out', 'my downloads'],
      io,
      '9.9.9',
    );
    await waitUntil(
      () => stdout.includes('Open '),
      20_000,
      () => stdout,
    );
    const url = new URL(/Open (\S+)/.exec(stdout)?.[1] ?? '');
    expect(url.hostname).toBe('127.0.0.1');
    const token = url.searchParams.get('token') ?? '';
    const wire = new WireClient(await openSocket({ port: Number(url.port), token }));
    expect(await wire.invoke('settings:get', {})).toMatchObject({
      ok: true,
      value: { downloadDir: `${scratch.root}/my downloads` },
    });
    expect(await wire.invoke('app:info', {})).toMatchObject({ ok: true, value: { version: '9.9.9' } });
    await expect(openSocket({ port: Number(url.port), token: 'wrong' })).rejects.toMatchObject({
      status: 403,
    });
    stop();
    expect(await done).toBe(0);
  });

  it('refuses a bad port with a usage error', async () => {
    const result = await runCliCaptured(['serve', '--port', '70000']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--port takes a whole number from 0 to 65535/);
  });
});
