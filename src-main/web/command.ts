import { access, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { endAfter, endBySignal, exitWhenSettled, STOP_DEADLINE_MS } from '../core/exit-deadline.ts';
import { parseWebArgs, WEB_USAGE } from './args.ts';
import { startDemoPortal } from './demo-portal.ts';
import { type RunningWebHost, runWebHost } from './run.ts';

export interface WebCommandIo {
  stdout(line: string): void;
  stderr(line: string): void;
}

const consoleIo: WebCommandIo = {
  stdout: (line) => process.stdout.write(`${line}\n`),
  stderr: (line) => process.stderr.write(`${line}\n`),
};

/**
 * `npm run web` / `npm run demo` / `node scripts/demo.ts`: parse flags, start, print the one line to open.
 * Returns the running host, or an exit code when it did not start (0 for --help, 2 usage, 1 failure).
 */
export async function startWebCommand(
  argv: string[],
  projectRoot: string,
  io: WebCommandIo = consoleIo,
): Promise<RunningWebHost | number> {
  const parsed = parseWebArgs(argv);
  if (parsed.kind === 'help') {
    io.stdout(WEB_USAGE);
    return 0;
  }
  if (parsed.kind === 'usage-error') {
    io.stderr(`${parsed.message}\n\n${WEB_USAGE}`);
    return 2;
  }
  const { args } = parsed;
  const rendererDir = resolve(args.rendererDir ?? join(projectRoot, 'out', 'renderer'));
  try {
    await access(join(rendererDir, 'index.html'));
  } catch {
    io.stderr(`No built UI in ${rendererDir}: run \`npm run build\` first.`);
    return 1;
  }
  let running: RunningWebHost;
  try {
    running = await runWebHost({
      rendererDir,
      port: args.port,
      dataDir: args.dataDir,
      keypairsPath: args.keypairsPath,
      version: await packageVersion(projectRoot),
      demoPortal: args.demo ? startDemoPortal : undefined,
    });
  } catch (error) {
    io.stderr(`Could not start the web host: ${describeStartError(error, args.port)}`);
    return 1;
  }
  io.stdout(`Open ${running.url}`);
  const notice = running.services.settings.notice;
  if (notice) io.stderr(notice);
  if (running.demo) {
    io.stderr(
      `Demo: sample portal at ${running.demo.portalUrl}; downloads go to ${running.demo.downloadDir}`,
    );
    io.stderr('Demo: its temporary folder is removed when you stop it.');
  }
  if (args.open) io.stderr('--open: this host does not start a browser; open the address above.');
  io.stderr('Press Ctrl+C to stop.');
  return running;
}

/** Ctrl+C or a service manager's TERM: close the host, the core and any demo portal, then exit. */
export function closeOnSignals(running: RunningWebHost, io: WebCommandIo = consoleIo): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) endBySignal(signal);
    stopping = true;
    io.stderr(`${signal}: stopping…`);
    endAfter(STOP_DEADLINE_MS, signal, io.stderr);
    running.close().then(
      () => exitWhenSettled(0),
      () => exitWhenSettled(1),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

/** The whole command, as the entry points run it. */
export async function webMain(argv: string[], projectRoot: string): Promise<void> {
  const result = await startWebCommand(argv, projectRoot);
  if (typeof result === 'number') process.exitCode = result;
  else closeOnSignals(result);
}

async function packageVersion(projectRoot: string): Promise<string | undefined> {
  try {
    const pkg: unknown = JSON.parse(await readFile(join(projectRoot, 'package.json'), 'utf8'));
    const version = (pkg as { version?: unknown }).version;
    return typeof version === 'string' ? version : undefined;
  } catch {
    return undefined;
  }
}

function describeStartError(error: unknown, port: number): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'EADDRINUSE')
    return `port ${port} is already in use; pick another with --port or use --port 0.`;
  if (code === 'EACCES') return `not allowed to listen on port ${port}; pick one above 1023.`;
  return error instanceof Error ? error.message : String(error);
}
