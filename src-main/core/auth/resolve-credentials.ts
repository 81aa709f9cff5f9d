import { AppError, isAppError } from '../../../src-shared/domain/errors.ts';
import type { Credentials } from '../http/credentials.ts';
import type { CredentialStore } from './credential-store.ts';
import {
  defaultKeypairsPaths,
  isMissingKeypairsFile,
  type KeypairsFile,
  readKeypairs,
} from './keypairs-file.ts';
import { credentialServerProblem, requireServerOrigin } from './server-origin.ts';

export interface ResolveOptions {
  /** The keychain; left out (e.g. `--no-keychain`), only key files are read. */
  store?: CredentialStore;
  /** `--profile`: a name the user chose, so finding nothing is an error. Otherwise `default`, optional. */
  profile?: string;
  /** `--keypairs`: read only this file, which must exist. Otherwise ~/keypairs.json, ~/.fourfront-keys.json. */
  keypairsPath?: string;
  /** `--server`: overrides the server of whatever key is found. */
  server?: string;
  home?: string;
}

export interface ResolvedCredentials {
  /** Undefined means anonymous: public metadata only, downloads will be refused. */
  credentials?: Credentials;
  source: 'keychain' | 'keypairs' | 'anonymous';
  /** The profile or entry name used, and for keypairs the file it came from. */
  profile?: string;
  path?: string;
  warnings: string[];
}

export const DEFAULT_PROFILE = 'default';

/**
 * The order the CLI and the app agree on: the keychain profile of that name, then the entry of that name in
 * the key file(s). A keychain that cannot be reached is a warning, not a failure, so headless hosts work.
 */
export async function resolveCredentials(options: ResolveOptions = {}): Promise<ResolvedCredentials> {
  const name = options.profile ?? DEFAULT_PROFILE;
  const server = options.server === undefined ? undefined : requireServerOrigin(options.server);
  const warnings: string[] = [];
  let keychainProblem: string | undefined;
  // A key goes to the server it was kept for and nowhere else: --server naming another leaves it at home.
  const scoped = (found: Credentials, where: string): Credentials | undefined => {
    const problem = credentialServerProblem(found.server);
    if (problem) throw new AppError('bad-input', `Key "${name}" (${where}): ${problem}.`);
    if (server === undefined || server === found.server) return found;
    const reason = `key "${name}" (${where}) is for ${found.server} and is never sent to ${server}`;
    if (options.profile !== undefined) {
      throw new AppError('bad-input', `The ${reason}: drop --server, or add a key for ${server}.`);
    }
    warnings.push(`Not using a key: the ${reason}.`);
    return undefined;
  };

  if (options.store) {
    try {
      const stored = await options.store.get(name);
      if (stored) {
        const { server: storedServer, keyId, secret, kind } = stored;
        const credentials = scoped(
          { server: storedServer, keyId, secret, ...(kind ? { kind } : {}) },
          'keychain',
        );
        if (!credentials) return { source: 'anonymous', warnings };
        return { credentials, source: 'keychain', profile: name, warnings };
      }
    } catch (error) {
      if (!isAppError(error) || error.code !== 'keychain-unavailable') throw error;
      keychainProblem = error.message;
      warnings.push(error.message);
    }
  }

  const explicitFile = options.keypairsPath !== undefined;
  const paths = explicitFile ? [options.keypairsPath as string] : defaultKeypairsPaths(options.home);
  const searched: string[] = [];
  for (const path of paths) {
    const file = await readOptional(path, explicitFile, options.home);
    if (!file) continue;
    searched.push(`${path} (entries: ${Object.keys(file.entries).join(', ') || 'none'})`);
    const credentials = file.entries[name];
    const rejected = file.rejected.find((r) => r.name === name);
    if (rejected) throw new AppError('keypairs-invalid', `Entry "${name}" in ${path}: ${rejected.reason}.`);
    if (credentials && Object.hasOwn(file.entries, name)) {
      const usable = scoped(credentials, path);
      if (!usable) return { source: 'anonymous', warnings: [...warnings, ...file.warnings] };
      // The file asked for by name gave the key: the keychain it was not read from is no news (its message
      // even suggests --keypairs). Found in a default file, the warning says why the keychain was passed over.
      const kept = explicitFile ? warnings.filter((w) => w !== keychainProblem) : warnings;
      return {
        credentials: usable,
        source: 'keypairs',
        profile: name,
        path,
        warnings: [...kept, ...file.warnings],
      };
    }
  }

  if (options.profile !== undefined || explicitFile) {
    const files = searched.length > 0 ? `searched ${searched.join(', ')}` : 'no key file was found';
    const keychain = warnings.length > 0 ? 'the keychain is not available' : 'none in the keychain';
    throw new AppError(
      'auth-missing',
      `No key named "${name}": ${keychain}, ${files}. Add one with \`4dn-dl keys add\` or name another with --profile.`,
    );
  }
  return { source: 'anonymous', warnings };
}

/** A missing default file just means "no keys there"; a named one, or a broken one, is an error. */
async function readOptional(
  path: string,
  required: boolean,
  home?: string,
): Promise<KeypairsFile | undefined> {
  try {
    return await readKeypairs(path, home === undefined ? {} : { home });
  } catch (error) {
    if (!required && isMissingKeypairsFile(error)) return undefined;
    throw error;
  }
}
