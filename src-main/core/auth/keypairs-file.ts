import { readFile, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { AppError } from '../../../src-shared/domain/errors.ts';
import type { Credentials } from '../http/credentials.ts';
import { credentialServerProblem, serverOrigin } from './server-origin.ts';

/**
 * The portal's key file: `{"default": {"key", "secret", "server"}, "other": {...}}` (~/keypairs.json), and
 * dcicutils' ~/.fourfront-keys.json, the same entries keyed by environment name.
 */
export interface KeypairsFile {
  entries: Record<string, Credentials>;
  /** Entries that cannot be used, each with a reason a person can act on (never a value from the file). */
  rejected: Array<{ name: string; reason: string }>;
  warnings: string[];
}

const MAX_BYTES = 1024 * 1024;

export function defaultKeypairsPaths(home = homedir()): string[] {
  return [join(home, 'keypairs.json'), join(home, '.fourfront-keys.json')];
}

export function expandHome(path: string, home = homedir()): string {
  if (path === '~') return home;
  if (path.startsWith('~/') || path.startsWith('~\\')) return join(home, path.slice(2));
  return path;
}

/** Reads and parses a key file; `path` may start with `~`. File-level problems raise keypairs-invalid. */
export async function readKeypairs(path: string, options: { home?: string } = {}): Promise<KeypairsFile> {
  const full = expandHome(path, options.home);
  let text: string;
  let mode: number;
  try {
    const info = await stat(full);
    if (info.isDirectory()) throw invalid(`${path} is a folder, not a keypairs file`);
    if (info.size > MAX_BYTES) throw invalid(`${path} is too large to be a keypairs file`);
    mode = info.mode;
    text = await readFile(full, 'utf8');
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw invalid(readFailure(path, error), error);
  }
  const parsed = parseKeypairs(text, path);
  // Permission bits mean nothing on Windows; elsewhere a key file others can read is worth a word.
  if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
    const octal = (mode & 0o777).toString(8);
    parsed.warnings.push(`${path} can be read by other users (mode ${octal}): run chmod 600 ${path}`);
  }
  return parsed;
}

/** Parses key file text; `source` names it in messages. The secret never appears in any message. */
export function parseKeypairs(text: string, source: string): KeypairsFile {
  const body = text.replace(/^\uFEFF/, '');
  if (body.trim() === '') throw invalid(`${source} is empty`);
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch {
    // V8's message quotes the text around the fault, which may be a secret: report the position only.
    throw invalid(`${source} is not valid JSON (${jsonErrorPlace(body)})`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw invalid(
      `${source} must be a JSON object of named entries, such as {"default": {"key", "secret", "server"}}`,
    );
  }
  const entries: Array<[string, Credentials]> = [];
  const rejected: KeypairsFile['rejected'] = [];
  for (const [name, value] of Object.entries(data)) {
    const entry = parseEntry(value);
    if ('reason' in entry) rejected.push({ name, reason: entry.reason });
    else entries.push([name, entry]);
  }
  // fromEntries defines own properties, so an entry named "__proto__" stays an ordinary entry.
  return { entries: Object.fromEntries(entries), rejected, warnings: [] };
}

function parseEntry(value: unknown): Credentials | { reason: string } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { reason: 'must be an object with "key", "secret" and "server"' };
  }
  const fields = value as Record<string, unknown>;
  const problems: string[] = [];
  const text = (field: string): string | undefined => {
    const v = fields[field];
    if (v === undefined || v === null || v === '') problems.push(`missing "${field}"`);
    else if (typeof v !== 'string') problems.push(`"${field}" must be a string, not ${describeType(v)}`);
    else if (v.trim() === '') problems.push(`"${field}" is blank`);
    else return v.trim();
    return undefined;
  };
  const keyId = text('key');
  const secret = text('secret');
  const server = text('server');
  let origin: string | undefined;
  if (server !== undefined) {
    const result = serverOrigin(server);
    const problem = 'reason' in result ? result.reason : credentialServerProblem(result.origin);
    if (problem !== undefined) problems.push(`"server": ${problem}`);
    else if ('origin' in result) origin = result.origin;
  }
  if (problems.length > 0 || keyId === undefined || secret === undefined || origin === undefined) {
    return { reason: problems.join('; ') };
  }
  return { server: origin, keyId, secret };
}

function describeType(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** "line 3, column 5" for where the JSON goes wrong, or "it ends before the JSON is complete". */
function jsonErrorPlace(text: string): string {
  const offset = faultOffset(text);
  if (offset === undefined) return 'it ends before the JSON is complete';
  const lines = text.slice(0, offset).split('\n');
  return `line ${lines.length}, column ${(lines.at(-1)?.length ?? 0) + 1}`;
}

/**
 * The offset of the first character JSON.parse cannot accept, or undefined when the text is only cut short.
 * V8 gives a position for some errors but not for "Unexpected token", so the shortest prefix that already
 * fails before its end is found by bisection (a prefix of valid JSON only ever fails at its end).
 */
function faultOffset(text: string): number | undefined {
  if (!failsBeforeEnd(text)) return undefined;
  let good = 0;
  let bad = text.length;
  while (bad - good > 1) {
    const mid = Math.floor((good + bad) / 2);
    if (failsBeforeEnd(text.slice(0, mid))) bad = mid;
    else good = mid;
  }
  return bad - 1;
}

function failsBeforeEnd(prefix: string): boolean {
  try {
    JSON.parse(prefix);
    return false;
  } catch (error) {
    const message = error instanceof Error ? error.message : '';
    const position = /at position (\d+)/.exec(message);
    if (position) return Number(position[1]) < prefix.length;
    return !/end of JSON input/.test(message);
  }
}

/** True when readKeypairs failed only because the file does not exist. */
export function isMissingKeypairsFile(error: unknown): boolean {
  return (
    error instanceof AppError &&
    error.code === 'keypairs-invalid' &&
    (error.cause as NodeJS.ErrnoException | undefined)?.code === 'ENOENT'
  );
}

function readFailure(path: string, error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return `No keypairs file at ${path}`;
  if (code === 'EACCES' || code === 'EPERM') return `Cannot read ${path}: permission denied`;
  return `Cannot read ${path}${code ? ` (${code})` : ''}`;
}

function invalid(message: string, cause?: unknown): AppError {
  return new AppError('keypairs-invalid', message, { cause });
}
