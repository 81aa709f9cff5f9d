import { type ParseArgsConfig, parseArgs } from 'node:util';
import { UsageError } from './exit-codes.ts';

type Options = NonNullable<ParseArgsConfig['options']>;

/** Flags every command that talks to a server takes (docs/architecture.md "Where state lives": keys). */
export const credentialOptions = {
  keypairs: { type: 'string' },
  profile: { type: 'string' },
  server: { type: 'string' },
  'data-dir': { type: 'string' },
} as const satisfies Options;

export const commonOptions = {
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies Options;

/** node:util parseArgs with errors a person can act on instead of Node's error codes. */
export function parseCommandArgs<T extends Options>(argv: string[], options: T) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new UsageError(message.replace(/\. To specify a positional argument.*$/s, '.'));
  }
}

/** `--concurrency 8` style numbers: whole, within bounds, or a usage error naming the flag. */
export function intFlag(
  value: string | undefined,
  flag: string,
  min: number,
  max: number,
): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new UsageError(
      `--${flag} takes a whole number from ${min} to ${max}, not "${value.slice(0, 40)}".`,
    );
  }
  return n;
}
