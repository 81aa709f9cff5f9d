import { AppError } from '../../../src-shared/domain/errors.ts';
import { mayCarryCredentials } from '../http/url-policy.ts';

/**
 * A server as credentials are scoped to it: the origin (scheme, host, port), no trailing slash.
 * Keys belong to a site, so a path, query or embedded user:password is refused rather than silently dropped.
 * Returns the reason as a string, so callers can report it per entry or raise it.
 */
export function serverOrigin(raw: string): { origin: string } | { reason: string } {
  const text = raw.trim();
  // Echo the value back only when it cannot be carrying a password (user:secret@host).
  const shown = text.includes('@') ? 'the server address' : `"${text.slice(0, 200)}"`;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { reason: `${shown} is not a web address such as https://data.4dnucleome.org` };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return { reason: `${shown} must start with https:// (or http:// for a local server)` };
  }
  if (url.username || url.password) return { reason: `${shown} must not contain a user name or password` };
  if (url.pathname !== '/' || url.search || url.hash) {
    return { reason: `${shown} must be a site address only, such as ${url.origin}` };
  }
  return { origin: url.origin };
}

/** serverOrigin, raising a bad-input AppError when the address is unusable. */
export function requireServerOrigin(raw: string): string {
  const result = serverOrigin(raw);
  if ('reason' in result) throw new AppError('bad-input', `Server ${result.reason}.`);
  return result.origin;
}

/**
 * Why a key may not be kept for or sent to this server, or undefined when it may: over plain http anyone on the
 * network reads the key, so only https, or http on this machine (the sample portal). Every kind of key uses this.
 */
export function credentialServerProblem(origin: string): string | undefined {
  if (mayCarryCredentials(origin)) return undefined;
  return `${origin} is plain http, which would send the key in clear text: use https:// (http:// only for a server on this machine)`;
}

/** requireServerOrigin for a server a key is kept for: https, or http on this machine. */
export function requireCredentialServer(raw: string): string {
  const origin = requireServerOrigin(raw);
  const problem = credentialServerProblem(origin);
  if (problem) throw new AppError('bad-input', `Server ${problem}.`);
  return origin;
}
