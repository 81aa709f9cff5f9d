import { parseArgs } from 'node:util';

export const WEB_USAGE = `Usage: node --max-semi-space-size=1 out/main/web.js [options]

Serves the 4DN Downloader UI to a browser on this machine only (127.0.0.1). The V8 flag caps the young
generation, as the 4dn-dl command does: a 4 GiB download peaked at 140 MiB with it, 145-157 MiB without.

Options:
  --port N          port to listen on (default: any free port)
  --data-dir DIR    the app's state folder (default: the one the desktop app uses)
  --keypairs FILE   keypairs.json to use when no keychain profile matches
  --renderer DIR    the built UI to serve (default: out/renderer)
  --demo            start the sample portal and use a fresh temporary folder
  --open            accepted for compatibility; the address is printed, open it yourself
  -h, --help        show this help`;

export interface WebArgs {
  port: number;
  dataDir?: string;
  keypairsPath?: string;
  rendererDir?: string;
  demo: boolean;
  open: boolean;
}

export type ParsedWebArgs =
  | { kind: 'run'; args: WebArgs }
  | { kind: 'help' }
  | { kind: 'usage-error'; message: string };

export function parseWebArgs(argv: string[]): ParsedWebArgs {
  let values: ReturnType<typeof parse>['values'];
  try {
    values = parse(argv).values;
  } catch (error) {
    return { kind: 'usage-error', message: error instanceof Error ? error.message : String(error) };
  }
  if (values.help) return { kind: 'help' };
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535 || !/^\d+$/.test(values.port ?? '0')) {
    return {
      kind: 'usage-error',
      message: `--port must be a whole number from 0 to 65535, not "${values.port}"`,
    };
  }
  if (values.demo && (values['data-dir'] !== undefined || values.keypairs !== undefined)) {
    return {
      kind: 'usage-error',
      message:
        "--demo uses a fresh temporary folder and the sample portal's keys: drop --data-dir and --keypairs",
    };
  }
  return {
    kind: 'run',
    args: {
      port,
      dataDir: values['data-dir'],
      keypairsPath: values.keypairs,
      rendererDir: values.renderer,
      demo: values.demo ?? false,
      open: values.open ?? false,
    },
  };
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      port: { type: 'string' },
      'data-dir': { type: 'string' },
      keypairs: { type: 'string' },
      renderer: { type: 'string' },
      demo: { type: 'boolean' },
      open: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}
