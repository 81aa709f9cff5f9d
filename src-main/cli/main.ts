import { endAfter, endBySignal, exitWhenSettled, STOP_DEADLINE_MS } from '../core/exit-deadline.ts';
import { runCli } from './run-cli.ts';

// The `4dn-dl` entry (bin/4dn-dl.js loads the built copy of this file).
declare const __APP_VERSION__: string | undefined;
const version = typeof __APP_VERSION__ === 'string' ? __APP_VERSION__ : '0.0.0';

let stopping = false;
const interrupted = new Promise<void>((resolve) => {
  let count = 0;
  const stop = (signal: NodeJS.Signals) => {
    count += 1;
    // The first Ctrl-C or TERM stops cleanly (partial bytes kept for the next run), within a bound even when
    // the command is not at a point that watches for it; a second one does not wait.
    if (count > 1) endBySignal(signal);
    stopping = true;
    endAfter(STOP_DEADLINE_MS, signal, (line) => process.stderr.write(`\n${line}\n`));
    resolve();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
});

const code = await runCli(
  process.argv.slice(2),
  {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
    interrupted,
  },
  version,
);
process.exitCode = code;
// Keytar or a lingering socket must not keep a finished command alive.
setTimeout(() => (stopping ? exitWhenSettled(code) : process.exit(code)), 200).unref();
