import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { rendererDir } from './browser.ts';
import { runWithKeyring, type ScriptResult } from './keyring.ts';

const hostScript = resolve(import.meta.dirname, 'e2e-keyring-host.ts');

/** A web host running in its own process against a private gnome-keyring, until stop() is called. */
export interface KeyringWebHost {
  url: string;
  /** Asks the host to close, and resolves with what its process printed. */
  stop(): Promise<ScriptResult>;
}

/**
 * Starts e2e-keyring-host.ts under runWithKeyring with HOME = `home` (reuse it to open the same keyring
 * again in a later session) and waits until it listens.
 */
export async function startKeyringWebHost(
  home: string,
  dataDir: string,
  keypairsPath?: string,
): Promise<KeyringWebHost> {
  const stateDir = await mkdtemp(join(home, 'host-state-'));
  const args = [stateDir, rendererDir, dataDir, ...(keypairsPath ? [keypairsPath] : [])];
  const run = runWithKeyring(hostScript, args, { home, timeoutMs: 110_000 });
  let exited: ScriptResult | undefined;
  void run.then((result) => {
    exited = result;
  });
  const urlFile = join(stateDir, 'url');
  const deadline = Date.now() + 30_000;
  while (!existsSync(urlFile)) {
    if (exited) throw new Error(`The keyring web host exited early (${exited.code}): ${exited.stderr}`);
    if (Date.now() > deadline) throw new Error('The keyring web host did not start within 30 s');
    await new Promise((done) => setTimeout(done, 100));
  }
  const url = await readFile(urlFile, 'utf8');
  return {
    url,
    stop: async () => {
      await writeFile(join(stateDir, 'stop'), '');
      const result = await run;
      await rm(stateDir, { recursive: true, force: true });
      return result;
    },
  };
}
