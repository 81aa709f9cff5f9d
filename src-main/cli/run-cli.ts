import { isAppError } from '../../src-shared/domain/errors.ts';
import { getCommand, getHelp } from './commands/get.ts';
import { infoCommand, infoHelp } from './commands/info.ts';
import { keysCommand, keysHelp } from './commands/keys.ts';
import { reportCommand, reportHelp } from './commands/report.ts';
import { searchCommand, searchHelp } from './commands/search.ts';
import { serveCommand, serveHelp } from './commands/serve.ts';
import { verifyCommand, verifyHelp } from './commands/verify.ts';
import { EXIT, exitCodeFor, UsageError } from './exit-codes.ts';
import type { CliIo } from './io.ts';

type Command = (argv: string[], io: CliIo, version: string) => Promise<number>;

const commands: Record<string, { run: Command; help: string }> = {
  get: { run: getCommand, help: getHelp },
  info: { run: infoCommand, help: infoHelp },
  search: { run: searchCommand, help: searchHelp },
  verify: { run: verifyCommand, help: verifyHelp },
  keys: { run: keysCommand, help: keysHelp },
  report: { run: reportCommand, help: reportHelp },
  serve: { run: serveCommand, help: serveHelp },
};

export function usage(): string {
  return [
    '4dn-dl: downloads from the 4DN Data Portal and any GA4GH DRS server, resumed and verified.',
    '',
    ...Object.values(commands).map((c) => c.help),
    '',
    'Credentials: a keychain profile (4dn-dl keys), else --profile NAME (default "default") of --keypairs FILE',
    '(default ~/keypairs.json). Exit codes: 0 ok, 1 some file failed, 2 usage or input error, 3 key rejected.',
  ].join('\n');
}

/** Runs one command line and returns its exit code; never throws. */
export async function runCli(argv: string[], io: CliIo, version: string): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(`${usage()}\n`);
    return name ? EXIT.ok : EXIT.usage;
  }
  if (name === '--version' || name === '-V') {
    io.stdout.write(`${version}\n`);
    return EXIT.ok;
  }
  const command = commands[name];
  if (!command) {
    io.stderr.write(`4dn-dl: unknown command "${name.slice(0, 40)}".\n\n${usage()}\n`);
    return EXIT.usage;
  }
  try {
    return await command.run(rest, io, version);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`4dn-dl ${name}: ${error.message}\nSee: 4dn-dl ${name} --help\n`);
      return EXIT.usage;
    }
    if (isAppError(error)) {
      io.stderr.write(`4dn-dl ${name}: ${error.message}\n`);
      return exitCodeFor(error.code);
    }
    io.stderr.write(
      `4dn-dl ${name}: unexpected error: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    return EXIT.failed;
  }
}
