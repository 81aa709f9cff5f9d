import { resolve } from 'node:path';
import { appDataDir } from '../core/app-data-dir.ts';
import { makeFolder } from '../core/downloads/disk/folder.ts';
import { createServices, type Services, type ServicesOptions } from '../core/services.ts';
import { UsageError } from './exit-codes.ts';
import type { CliIo } from './io.ts';

export interface CredentialFlags {
  keypairs?: string | undefined;
  profile?: string | undefined;
  server?: string | undefined;
  'data-dir'?: string | undefined;
}

/**
 * The core as the CLI uses it: the same services (and so the same handlers) as the app, on the shared state
 * folder, with the credential flags applied. Channels are called through the router so input is validated the
 * same way everywhere.
 */
export async function openServices(
  io: CliIo,
  flags: CredentialFlags,
  version: string,
  extra: (dataDir: string) => Partial<ServicesOptions> = () => ({}),
): Promise<Services> {
  const dataDir = cliDataDir(io, flags);
  await makeFolder(dataDir, 0o700).catch((error: Error) => {
    throw new UsageError(`${error.message} (the state folder; another one: --data-dir DIR)`);
  });
  const services = await createServices({
    ...extra(dataDir),
    dataDir,
    host: 'cli',
    version,
    ...(flags.keypairs !== undefined ? { keypairsPath: resolve(io.cwd, flags.keypairs) } : {}),
    ...(flags.server !== undefined ? { server: flags.server } : {}),
  });
  const notice = services.settings.notice;
  if (notice) io.stderr.write(`4dn-dl: ${notice}\n`);
  return services;
}

export function cliDataDir(io: CliIo, flags: CredentialFlags): string {
  return flags['data-dir'] ? resolve(io.cwd, flags['data-dir']) : appDataDir({ env: io.env });
}
