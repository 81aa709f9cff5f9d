import { isIP } from 'node:net';

/**
 * Where a request may go, judged by address alone (no DNS): one policy for every stack that follows a server's
 * redirect or access URL, so the portal client and the storage transfer cannot drift apart.
 */

/** A host name as URL.hostname gives it, IPv6 brackets removed, lower case, no trailing dot. */
function bareHost(hostname: string): string {
  return hostname
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '')
    .toLowerCase();
}

function ipv4Octets(host: string): number[] | undefined {
  if (isIP(host) !== 4) return undefined;
  return host.split('.').map(Number);
}

/** An IPv6 address's embedded IPv4 (::ffff:a.b.c.d, as URL writes it ::ffff:xxxx:yyyy), when it has one. */
function mappedIpv4(host: string): string | undefined {
  const dotted = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(host);
  if (dotted) return dotted[1];
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(host);
  if (!hex) return undefined;
  const high = Number.parseInt(hex[1] as string, 16);
  const low = Number.parseInt(hex[2] as string, 16);
  return [high >> 8, high & 255, low >> 8, low & 255].join('.');
}

/** This machine: 127/8, ::1, `localhost` and names under it. */
export function isLoopbackHost(hostname: string): boolean {
  const host = bareHost(hostname);
  if (host === 'localhost' || host.endsWith('.localhost') || host === '::1') return true;
  const v4 = ipv4Octets(mappedIpv4(host) ?? host);
  return v4 !== undefined && v4[0] === 127;
}

/**
 * This machine or a private network: loopback, 0.0.0.0, 10/8, 172.16/12, 192.168/16, 169.254/16 (link-local,
 * where cloud metadata services live), fc00::/7 and fe80::/10. A server on the internet has no business sending
 * us there.
 */
export function isLocalAddress(hostname: string): boolean {
  if (isLoopbackHost(hostname)) return true;
  const host = bareHost(hostname);
  const v4 = ipv4Octets(mappedIpv4(host) ?? host);
  if (v4) {
    const [a, b] = v4 as [number, number];
    return (
      a === 0 ||
      a === 10 ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 169 && b === 254)
    );
  }
  if (isIP(host) !== 6) return false;
  if (host === '::') return true;
  const first = Number.parseInt(host.split(':')[0] || '0', 16);
  return (first & 0xfe00) === 0xfc00 || (first & 0xffc0) === 0xfe80;
}

/** Plain http carries a key in clear text, so keys go over https, or http to this machine (the sample portal). */
export function mayCarryCredentials(url: string | URL): boolean {
  try {
    const parsed = typeof url === 'string' ? new URL(url) : url;
    if (parsed.protocol === 'https:') return true;
    return parsed.protocol === 'http:' && isLoopbackHost(parsed.hostname);
  } catch {
    return false;
  }
}

/**
 * Why a server may not send us from `from` to `to` (a redirect, or an access URL a DRS server gave), or
 * undefined when it may. `server` is the DRS server or portal the chain started at: only a server on this
 * machine may point at this machine or a private network. https never leads to http.
 */
export function nextHopProblem(
  from: string | URL,
  to: string | URL,
  server: string | URL,
): string | undefined {
  let source: URL;
  let target: URL;
  let origin: URL;
  try {
    source = new URL(from);
    target = new URL(to, source);
    origin = new URL(server);
  } catch {
    return 'it is not a valid web address';
  }
  if (target.protocol !== 'https:' && target.protocol !== 'http:') {
    return `${target.protocol.replace(/:$/, '')} addresses are not supported (only https)`;
  }
  if (target.username || target.password) return 'it carries a user name or password';
  if (source.protocol === 'https:' && target.protocol === 'http:') {
    return `it leads from https to plain http (${target.host}), which anyone on the network could read or alter`;
  }
  if (isLocalAddress(target.hostname) && !isLoopbackHost(origin.hostname)) {
    return `it points at a local or private address (${target.host}), which ${origin.host} may not send us to`;
  }
  return undefined;
}
