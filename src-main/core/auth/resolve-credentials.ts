import { AppError, isAppError } from '../../../src-shared/domain/errors.ts';
import type { Credentials } from '../http/credentials.ts';
import type { CredentialStore } from './credential-store.ts';
import {
  defaultKeypairsPaths,
  isMissingKeypairsFile,
  type KeypairsFile,
  readKeypairs,
} from './keypairs-file.ts';
import { requireServerOrigin } from './server-origin.ts';

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
  const withServer = (c: Credentials): Credentials => (server ? { ...c, server } : c);

  if (options.store) {
    try {
      const stored = await options.store.get(name);
      if (stored) {
        const { server: storedServer, keyId, secret } = stored;
        return {
          credentials: withServer({ server: storedServer, keyId, secret }),
          source: 'keychain',
          profile: name,
          warnings,
        };
      }
    } catch (error) {
      if (!isAppError(error) || error.code !== 'keychain-unavailable') throw error;
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
      return {
        credentials: withServer(credentials),
        source: 'keypairs',
        profile: name,
        path,
        warnings: [...warnings, ...file.warnings],
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
