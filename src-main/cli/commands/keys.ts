import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { type CredentialKind, DEFAULT_SERVER } from '../../../src-shared/domain/profile.ts';
import { parseGen3CredentialsFile } from '../../../src-shared/gen3-credentials.ts';
import { defaultKeypairsPaths } from '../../core/auth/keypairs-file.ts';
import { commonOptions, parseCommandArgs } from '../args.ts';
import { call } from '../call.ts';
import { openServices } from '../context.ts';
import { EXIT, UsageError } from '../exit-codes.ts';
import { type CliIo, printJson } from '../io.ts';
import { readSecret } from '../read-secret.ts';

export const keysHelp = `4dn-dl keys add NAME --key-id ID [--server URL] [--no-test]   secret: prompted, or piped on stdin
4dn-dl keys add NAME --bearer --server URL [--key-id LABEL]  a bearer token for a DRS server: prompted, or on stdin
4dn-dl keys add NAME --gen3 FILE --server URL    a Gen3 commons' credentials.json (api_key, key_id)
4dn-dl keys list [--json]
4dn-dl keys remove NAME
4dn-dl keys import [FILE]          a keypairs.json (default ~/keypairs.json) into the keychain
4dn-dl keys test [NAME]            checks a key with its server (/session-properties; /user/user for tokens)
  Keys live in the OS keychain; a secret is never taken from a flag and never printed.`;

export async function keysCommand(argv: string[], io: CliIo, version: string): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    ...commonOptions,
    'key-id': { type: 'string' },
    server: { type: 'string' },
    'no-test': { type: 'boolean' },
    bearer: { type: 'boolean' },
    gen3: { type: 'string' },
    'data-dir': { type: 'string' },
  });
  const [action, ...rest] = positionals;
  if (values.help || !action) {
    io.stdout.write(`${keysHelp}\n`);
    return values.help ? EXIT.ok : EXIT.usage;
  }
  const services = await openServices(io, { 'data-dir': values['data-dir'] }, version, () => ({
    withoutQueue: true,
  }));
  try {
    switch (action) {
      case 'list': {
        const { profiles, keychain } = await call(services, 'profiles:list', {});
        if (values.json) printJson(io, { profiles, keychain });
        else {
          if (!keychain.available) io.stderr.write(`Keychain: ${keychain.message ?? 'not available'}\n`);
          if (profiles.length === 0) io.stdout.write('No keys yet: 4dn-dl keys add NAME --key-id ID\n');
          for (const p of profiles) {
            const tested = p.lastTest ? (p.lastTest.ok ? ` ok ${p.lastTest.email ?? ''}` : ' rejected') : '';
            io.stdout.write(
              `${p.name.padEnd(16)} ${p.keyId.padEnd(10)} ${p.server}  (${p.source}${p.kind && p.kind !== 'basic' ? `, ${p.kind}` : ''})${tested}\n`,
            );
          }
        }
        return EXIT.ok;
      }
      case 'add': {
        const name = rest[0];
        if (!name) throw new UsageError('Usage: 4dn-dl keys add NAME --key-id ID [--server URL]');
        const credential = await credentialToAdd(io, values);
        const { profile, test } = await call(services, 'profiles:add', {
          name,
          ...credential,
          test: !values['no-test'],
        });
        if (values.json) printJson(io, { profile, test });
        else {
          const note = test
            ? test.ok
              ? `, tested: ${test.email ?? 'ok'}`
              : `, not tested: ${test.message}`
            : '';
          const what = profile.kind === 'bearer' ? 'token' : profile.kind === 'gen3' ? 'Gen3 API key' : 'key';
          io.stdout.write(
            `Saved ${what} ${profile.keyId} for ${profile.server} as "${profile.name}"${note}.\n`,
          );
        }
        return EXIT.ok;
      }
      case 'remove': {
        const name = rest[0];
        if (!name) throw new UsageError('Usage: 4dn-dl keys remove NAME');
        const { removed } = await call(services, 'profiles:remove', { name });
        io.stdout.write(removed ? `Removed "${name}".\n` : `No key named "${name}".\n`);
        return removed ? EXIT.ok : EXIT.failed;
      }
      case 'import': {
        const path = rest[0] ? resolve(io.cwd, rest[0]) : (defaultKeypairsPaths()[0] as string);
        const result = await call(services, 'profiles:import', { path });
        if (values.json) printJson(io, result);
        else {
          for (const p of result.imported)
            io.stdout.write(`Imported "${p.name}" (${p.keyId} for ${p.server}).\n`);
          for (const r of result.rejected) io.stderr.write(`Skipped "${r.name}": ${r.reason}\n`);
        }
        return result.imported.length > 0 ? EXIT.ok : EXIT.failed;
      }
      case 'test': {
        const name = rest[0] ?? 'default';
        const result = await call(services, 'profiles:test', { name });
        if (values.json) printJson(io, result);
        else
          io.stdout.write(
            result.ok ? `Key "${name}" works: ${result.email ?? 'ok'}.\n` : `${result.message}\n`,
          );
        if (result.ok) return EXIT.ok;
        return result.code === 'auth-rejected' ? EXIT.authRejected : EXIT.failed;
      }
      default:
        throw new UsageError(`Unknown keys action "${action.slice(0, 40)}".\n${keysHelp}`);
    }
  } finally {
    await services.close();
  }
}

/**
 * What `keys add` saves, by kind: a 4DN key (--key-id, secret prompted), a bearer token (--bearer, prompted),
 * or a Gen3 credentials.json (--gen3 FILE). Secrets come from a prompt, stdin or a file, never from a flag.
 */
async function credentialToAdd(
  io: CliIo,
  values: {
    'key-id'?: string | undefined;
    server?: string | undefined;
    bearer?: boolean | undefined;
    gen3?: string | undefined;
  },
): Promise<{ kind: CredentialKind; keyId: string; secret: string; server: string }> {
  if (values.bearer && values.gen3 !== undefined) throw new UsageError('Give --bearer or --gen3, not both.');
  if (values.bearer || values.gen3 !== undefined) {
    if (!values.server)
      throw new UsageError('A token or Gen3 key needs --server URL (the DRS server it is for).');
    if (values.gen3 !== undefined) {
      const text = await readFile(resolve(io.cwd, values.gen3), 'utf8').catch(
        (error: NodeJS.ErrnoException) => {
          throw new UsageError(`Cannot read ${values.gen3}: ${error.code ?? error.message}`);
        },
      );
      return { kind: 'gen3', server: values.server, ...parseGen3CredentialsFile(text) };
    }
    const secret = await readSecret(io, `Bearer token for ${values.server}: `);
    return { kind: 'bearer', server: values.server, keyId: values['key-id'] ?? 'token', secret };
  }
  const keyId = values['key-id'];
  if (!keyId) throw new UsageError('Usage: 4dn-dl keys add NAME --key-id ID [--server URL]');
  const secret = await readSecret(io, `Secret for key ${keyId}: `);
  return { kind: 'basic', keyId, secret, server: values.server ?? DEFAULT_SERVER };
}
