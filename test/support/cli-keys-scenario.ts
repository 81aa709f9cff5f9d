/**
 * `4dn-dl keys` end to end against whatever keychain this process reaches: add (secret piped on stdin, tested
 * against the portal), list, test, remove, list. Prints one JSON line with every step's exit code and output.
 * Run by node directly from test/integration/cli-keys.test.ts inside runWithKeyring.
 * Then a Gen3 credentials.json: added, tested, downloaded with (`get --json`).
 *   node cli-keys-scenario.ts DATA_DIR SERVER KEY SECRET GEN3_FILE ACCESSION OUT_DIR
 */
import { runCliCaptured } from './cli-io.ts';

const [dataDir = '', server = '', key = '', secret = '', gen3File = '', accession = '', outDir = ''] =
  process.argv.slice(2);
const common = ['--data-dir', dataDir];
const steps = {
  add: await runCliCaptured(['keys', 'add', 'demo', '--key-id', key, '--server', server, ...common], {
    stdin: `${secret}\n`,
  }),
  addBad: await runCliCaptured(['keys', 'add', 'bad', '--key-id', key, '--server', server, ...common], {
    stdin: 'wrongwrongwrongw\n',
  }),
  list: await runCliCaptured(['keys', 'list', '--json', ...common]),
  test: await runCliCaptured(['keys', 'test', 'demo', ...common]),
  info: await runCliCaptured(['search', '--profile', 'demo', '--json', '--limit', '2', ...common]),
  remove: await runCliCaptured(['keys', 'remove', 'demo', ...common]),
  listAfter: await runCliCaptured(['keys', 'list', '--json', ...common]),
  addGen3: await runCliCaptured([
    'keys',
    'add',
    'commons',
    '--gen3',
    gen3File,
    '--server',
    server,
    ...common,
  ]),
  testGen3: await runCliCaptured(['keys', 'test', 'commons', ...common]),
  getGen3: await runCliCaptured([
    'get',
    accession,
    '--profile',
    'commons',
    '-o',
    outDir,
    '--json',
    ...common,
  ]),
};
process.stdout.write(`${JSON.stringify(steps)}\n`);
process.exit(0);
