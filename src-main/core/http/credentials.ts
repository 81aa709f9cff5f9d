import type { CredentialKind } from '../../../src-shared/domain/profile.ts';
import { mayCarryCredentials } from './url-policy.ts';

/**
 * How a credential is sent: 'basic' a 4DN access key (Basic key:secret); 'bearer' a token sent as is;
 * 'gen3' a Gen3 API key (`credentials.json`: keyId = key_id, secret = api_key), exchanged at the server for
 * short-lived access tokens that are sent as Bearer (see gen3-tokens.ts).
 */
export type { CredentialKind };

/**
 * A credential for one server. The secret never leaves this process except in the Authorization header (or
 * the Gen3 key exchange) sent to `server`'s own origin, as mayCarryCredential decides.
 */
export interface Credentials {
  /** Origin of the portal, e.g. https://data.4dnucleome.org (no trailing slash). */
  server: string;
  keyId: string;
  secret: string;
  /** Default 'basic'. */
  kind?: CredentialKind | undefined;
}

/** The origin (scheme + host + port) of a URL, or undefined when it does not parse. */
export function originOf(url: string | URL): string | undefined {
  try {
    const origin = (typeof url === 'string' ? new URL(url) : url).origin;
    return origin === 'null' ? undefined : origin;
  } catch {
    return undefined;
  }
}

export function sameOrigin(a: string | URL, b: string | URL): boolean {
  const left = originOf(a);
  return left !== undefined && left === originOf(b);
}

/** The host (with port) a person recognises, for messages. */
export function hostOf(url: string | URL): string {
  try {
    return (typeof url === 'string' ? new URL(url) : url).host;
  } catch {
    return String(url).slice(0, 100);
  }
}

export function basicAuthorization(credentials: Credentials): string {
  return `Basic ${Buffer.from(`${credentials.keyId}:${credentials.secret}`).toString('base64')}`;
}

/**
 * THE rule for every kind of credential: a URL may carry the credential of `server` only when it is on that
 * server's own origin (never storage, never another port on the same host) and never in clear text off this
 * machine (url-policy's mayCarryCredentials). Every place that attaches a credential asks this function.
 */
export function mayCarryCredential(url: string | URL, server: string): boolean {
  return sameOrigin(url, server) && mayCarryCredentials(url);
}

/** Header names that carry a credential: a caller's own ones belong to the origin they were given for. */
const CREDENTIAL_HEADERS = new Set(['authorization', 'cookie', 'proxy-authorization']);

/** A caller's headers split into those bound to the first URL's origin (credentials) and those free to travel. */
export function splitOriginHeaders(headers: Record<string, string> = {}): {
  bound: Record<string, string>;
  free: Record<string, string>;
} {
  const bound: Record<string, string> = {};
  const free: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (CREDENTIAL_HEADERS.has(name.toLowerCase())) bound[name] = value;
    else free[name] = value;
  }
  return { bound, free };
}

/**
 * THE rule for a redirect: headers bound to an origin (a caller's Authorization or Cookie, the headers a DRS
 * server gave with an access URL) follow a hop from `from` to `to` only where a credential of `from`'s origin
 * may go (mayCarryCredential); once dropped they stay dropped for the rest of the chain.
 */
export function originHeadersAfterHop(
  headers: Record<string, string>,
  from: URL,
  to: URL,
): Record<string, string> {
  return mayCarryCredential(to, from.origin) ? headers : {};
}

/**
 * The Authorization header a URL gets, or undefined. `accessToken` is the current Gen3 access token (the
 * caller keeps it, since getting one is asynchronous).
 */
export function authorizationFor(
  url: string | URL,
  credentials: Credentials | undefined,
  accessToken?: string,
): string | undefined {
  if (!credentials || !mayCarryCredential(url, credentials.server)) return undefined;
  switch (credentials.kind ?? 'basic') {
    case 'basic':
      return basicAuthorization(credentials);
    case 'bearer':
      return `Bearer ${credentials.secret}`;
    case 'gen3':
      return accessToken === undefined ? undefined : `Bearer ${accessToken}`;
  }
}

/** Removes every form the secret could take from a text that may reach a person (belt and braces). */
export function redactSecret(
  text: string,
  credentials: Credentials | undefined,
  others: readonly string[] = [],
): string {
  const forms = [...others];
  if (credentials) forms.push(credentials.secret, basicAuthorization(credentials).slice('Basic '.length));
  let out = text;
  // Very short strings would mangle ordinary words; real secrets are 16 characters or more.
  for (const form of forms) if (form.length >= 6) out = out.split(form).join('[redacted]');
  return out;
}
