/**
 * The web host with the real OS keychain (no credentialStore passed, so KeychainStore over keytar), run by
 * node directly inside runWithKeyring's private D-Bus session and gnome-keyring.
 *   node e2e-keyring-host.ts STATE_DIR RENDERER_DIR DATA_DIR [KEYPAIRS_FILE]
 * Writes STATE_DIR/url once it listens, runs until STATE_DIR/stop appears, then closes and prints one JSON
 * line: what the keychain said about itself.
 */
import { existsSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runWebHost } from '../../src-main/web/run.ts';
import type { InvokeOutput } from '../../src-shared/ipc/contract.ts';

const [stateDir = '', rendererDir = '', dataDir = '', keypairs] = process.argv.slice(2);
const host = await runWebHost({
  rendererDir,
  dataDir,
  // Without one, a path that does not exist: keys come from the keychain only.
  keypairsPath: keypairs ?? join(stateDir, 'no-keypairs.json'),
  version: '0.0.0-e2e',
});
const info = await host.services.router.call('app:info', {});
const keychain = info.ok ? (info.value as InvokeOutput<'app:info'>).keychain : info.error;
await writeFile(join(stateDir, 'url.tmp'), host.url);
await rename(join(stateDir, 'url.tmp'), join(stateDir, 'url'));

while (!existsSync(join(stateDir, 'stop'))) await new Promise((resolve) => setTimeout(resolve, 100));
await host.close();
process.stdout.write(`${JSON.stringify({ keychain })}\n`);
// A keychain call still in flight holds a worker thread; it must not keep this process alive.
process.exit(0);
