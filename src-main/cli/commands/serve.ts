import { access, mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { credentialOptions, intFlag, parseCommandArgs } from '../args.ts';
import { cliDataDir } from '../context.ts';
import { EXIT, UsageError } from '../exit-codes.ts';
import type { CliIo } from '../io.ts';

export const serveHelp = `4dn-dl serve [--port N] [-o, --out DIR] [--data-dir DIR] [--keypairs FILE] [--server URL]
  The browser UI on 127.0.0.1 only, behind a one-time token: prints the address to open. On a headless node,
  reach it through an SSH tunnel: ssh -L 8080:127.0.0.1:8080 node, then serve --port 8080 there.
  --out DIR: the download folder for this run (it wins over Settings and is not saved); default: the saved one.`;

/**
 * The built UI: next to the CLI bundle (out/main/cli.js -> out/renderer, as installed from the package), or the
 * checkout's out/renderer when run from source (src-main/cli/commands).
 */
async function findRenderer(): Promise<string | undefined> {
  const here = import.meta.dirname;
  for (const dir of [resolve(here, '..', 'renderer'), resolve(here, '..', '..', '..', 'out', 'renderer')]) {
    if (
      await access(join(dir, 'index.html')).then(
        () => true,
        () => false,
      )
    )
      return dir;
  }
  return undefined;
}

export async function serveCommand(argv: string[], io: CliIo, version: string): Promise<number> {
  const { values } = parseCommandArgs(argv, {
    help: { type: 'boolean', short: 'h' },
    ...credentialOptions,
    port: { type: 'string' },
    out: { type: 'string', short: 'o' },
  });
  if (values.help) {
    io.stdout.write(`${serveHelp}\n`);
    return EXIT.ok;
  }
  const port = intFlag(values.port, 'port', 0, 65535) ?? 0;
  const renderer = await findRenderer();
  if (!renderer) {
    throw new UsageError(
      'The web UI is missing from this install: reinstall 4dn-dl (in a checkout: npm run build).',
    );
  }
  const outDir = values.out === undefined ? undefined : resolve(io.cwd, values.out);
  if (outDir) {
    await mkdir(outDir, { recursive: true }).catch((error: NodeJS.ErrnoException) => {
      throw new UsageError(`Cannot use ${outDir} as the download folder (${error.code ?? error.message}).`);
    });
  }
  // Loaded for this command only: the web host pulls in node:http's ESM face (which loads undici) and ws, about
  // 40 ms of CPU that every `get` paid at start while the module sat unused.
  const { runWebHost } = await import('../../web/run.ts');
  let running: Awaited<ReturnType<typeof runWebHost>>;
  try {
    running = await runWebHost({
      rendererDir: renderer,
      port,
      dataDir: cliDataDir(io, values),
      version,
      ...(values.keypairs !== undefined ? { keypairsPath: resolve(io.cwd, values.keypairs) } : {}),
      ...(values.server !== undefined ? { server: values.server } : {}),
      ...(outDir ? { outDir } : {}),
    });
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    if (code === 'EADDRINUSE') throw new UsageError(`port ${port} is in use: pick another with --port.`);
    if (code === 'EACCES')
      throw new UsageError(`not allowed to listen on port ${port}: pick one above 1023.`);
    throw error;
  }
  io.stdout.write(`Open ${running.url}\n`);
  io.stderr.write(
    'Listening on 127.0.0.1 only. Press Ctrl+C to stop (downloads resume at the next start).\n',
  );
  await io.interrupted;
  io.stderr.write('Stopping…\n');
  await running.close();
  return EXIT.ok;
}
