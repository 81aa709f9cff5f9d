import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import { contentSecurityPolicy, LOOPBACK_SOCKETS } from '../../src-shared/csp.ts';

/** The app's one policy (as in the desktop app and index.html), with the loopback socket the page talks to. */
export const CONTENT_SECURITY_POLICY = contentSecurityPolicy({ connect: [LOOPBACK_SOCKETS] });

/** Sent with every response, errors included. */
export const SECURITY_HEADERS: OutgoingHttpHeaders = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/** 32 random bytes, URL-safe, so it can ride in the query string unescaped. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Constant-time comparison; hashing first makes the lengths equal and hides the expected length. */
export function tokenMatches(expected: string, given: string | null | undefined): boolean {
  if (typeof given !== 'string') return false;
  const a = createHash('sha256').update(expected).digest();
  const b = createHash('sha256').update(given).digest();
  return timingSafeEqual(a, b);
}

/**
 * DNS-rebinding defence: a page on evil.example whose name now points at 127.0.0.1 still sends its own name in
 * Host, so only our literal loopback names are served. Returns the accepted Host value, lower-cased.
 */
export function acceptedHost(req: IncomingMessage, port: number): string | null {
  const host = req.headers.host?.toLowerCase();
  if (host === `127.0.0.1:${port}` || host === `localhost:${port}`) return host;
  return null;
}

/** A WebSocket may only be opened by a page we served: its Origin must be the origin the request was made to. */
export function originMatches(req: IncomingMessage, host: string): boolean {
  return req.headers.origin?.toLowerCase() === `http://${host}`;
}
