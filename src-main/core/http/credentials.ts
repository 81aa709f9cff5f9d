import { mayCarryCredentials } from './url-policy.ts';

/**
 * An access key for one portal. The secret never leaves this process except as the Basic Authorization header
 * sent to `server`'s own origin.
 */
export interface Credentials {
  /** Origin of the portal, e.g. https://data.4dnucleome.org (no trailing slash). */
  server: string;
  keyId: string;
  secret: string;
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
 * Whether a key kept for `credentials.server` may go with a request to `url`: its own origin only (never
 * storage, never another port on the same host), and never in clear text off this machine. Every kind of key
 * is sent through this.
 */
export function mayCarry(
  url: string | URL,
  credentials: Credentials | undefined,
): credentials is Credentials {
  return credentials !== undefined && sameOrigin(url, credentials.server) && mayCarryCredentials(url);
}

/** The Basic Authorization header for `url`, when the key may go there (see mayCarry). */
export function authorizationFor(
  url: string | URL,
  credentials: Credentials | undefined,
): string | undefined {
  if (!mayCarry(url, credentials)) return undefined;
  return basicAuthorization(credentials);
}

/** Removes every form the secret could take from a text that may reach a person (belt and braces). */
export function redactSecret(text: string, credentials: Credentials | undefined): string {
  // Very short strings would mangle ordinary words; real secrets are 16 characters.
  if (!credentials || credentials.secret.length < 6) return text;
  const forms = [credentials.secret, basicAuthorization(credentials).slice('Basic '.length)];
  let out = text;
  for (const form of forms) out = out.split(form).join('[redacted]');
  return out;
}
