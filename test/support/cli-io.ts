import { Readable } from 'node:stream';
import type { CliIo } from '../../src-main/cli/io.ts';
import { runCli } from '../../src-main/cli/run-cli.ts';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs one `4dn-dl` command line in-process with captured output and the given stdin text. */
export async function runCliCaptured(
  argv: string[],
  options: {
    stdin?: string;
    cwd?: string;
    env?: Record<string, string | undefined>;
    interrupted?: Promise<void>;
  } = {},
): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: { write: (text: string) => (stdout += text), isTTY: false },
    stderr: { write: (text: string) => (stderr += text), isTTY: false },
    stdin: Readable.from(options.stdin === undefined ? [] : [options.stdin]) as CliIo['stdin'],
    env: options.env ?? process.env,
    cwd: options.cwd ?? process.cwd(),
    interrupted: options.interrupted ?? new Promise(() => {}),
  };
  const code = await runCli(argv, io, '0.0.0-test');
  return { code, stdout, stderr };
}
