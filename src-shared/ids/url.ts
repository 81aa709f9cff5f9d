/**
 * Parsing the link forms of an id: http(s) portal and DRS links, and drs:// URIs. Hand-written rather than
 * `new URL()` on purpose: URL() silently resolves `..`, decodes, and punycodes hosts, which would hide exactly
 * the inputs we must refuse (traversal, look-alike hosts, credentials).
 */
import type { ParsedId } from '../domain/ids.ts';
import { accessionAtStart, checkAccession, isFileAccession } from './accession.ts';

type Failure = { ok: false; reason: string };
export type IdResult = { ok: true; id: ParsedId } | Failure;

const CREDENTIALS_REASON =
  'Links with a user name or password in them are not accepted (the password would be stored and shown): ' +
  'remove the part before "@" and add the access key in Accounts or with `4dn-dl keys add`';

const COMPACT_DRS_REASON =
  'Compact DRS ids (drs://prefix:accession) need a resolver service and are not supported; ' +
  'use drs://host/id or the accession.';

interface Authority {
  /** host[:port] as written in a drs:// URI, lower-cased, default port dropped. */
  hostPort: string;
  origin: string;
}

function fail(reason: string): Failure {
  return { ok: false, reason };
}

/** Dot-separated labels of letters, digits and inner hyphens (RFC 1123), in one pass. */
function isHostName(host: string): boolean {
  if (host.length === 0 || host.length > 253) return false;
  let labelStart = 0;
  for (let i = 0; i <= host.length; i++) {
    const c = i === host.length ? 0x2e : host.charCodeAt(i);
    if (c === 0x2e) {
      const length = i - labelStart;
      if (length === 0 || length > 63) return false;
      if (host.charCodeAt(labelStart) === 0x2d || host.charCodeAt(i - 1) === 0x2d) return false;
      labelStart = i + 1;
    } else if (!((c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2d)) {
      return false;
    }
  }
  return true;
}

const IPV6_RE = /^\[[0-9a-f:.]{2,45}\]$/;

/** Hosts our test servers use: plain http there, https everywhere else (DRS requires TLS). */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

type AuthorityResult = { ok: true; value: Authority } | Failure;

/** A list repeats one server thousands of times: remember the last authority parsed. */
let lastAuthority: { key: string; result: AuthorityResult } | undefined;

function parseAuthority(scheme: 'http' | 'https', raw: string): AuthorityResult {
  const key = `${scheme}:${raw}`;
  if (lastAuthority?.key === key) return lastAuthority.result;
  const result = parseAuthorityUncached(scheme, raw);
  lastAuthority = { key, result };
  return result;
}

function parseAuthorityUncached(scheme: 'http' | 'https', raw: string): AuthorityResult {
  if (raw.includes('@')) return fail(CREDENTIALS_REASON);
  let host = raw.toLowerCase();
  let port = '';
  const bracketEnd = host.startsWith('[') ? host.indexOf(']') : -1;
  const colon = host.indexOf(':', bracketEnd + 1);
  if (colon >= 0) {
    port = host.slice(colon + 1);
    host = host.slice(0, colon);
    if (!/^\d{1,5}$/.test(port) || Number(port) < 1 || Number(port) > 65535) {
      return fail('The port in this link is not a number from 1 to 65535');
    }
  }
  if (!(IPV6_RE.test(host) || isHostName(host))) return fail('This link has no valid host name');
  const defaultPort = scheme === 'https' ? '443' : '80';
  const hostPort = port === '' || port === defaultPort ? host : `${host}:${port}`;
  return { ok: true, value: { hostPort, origin: `${scheme}://${hostPort}` } };
}

/** Decodes one path segment; refuses traversal and anything that decodes to a control or non-ASCII char. */
function decodeSegment(raw: string, allowSlash: boolean): { ok: true; value: string } | Failure {
  if (raw === '.' || raw === '..') {
    return fail('This link contains a "." or ".." path segment: a link must name its file directly');
  }
  if (raw.includes('\\')) return fail('This link contains a backslash');
  // Without a %-escape the text was already checked as printable ASCII (textProblem) and cannot hide a "/".
  if (!raw.includes('%')) return { ok: true, value: raw };
  let value: string;
  try {
    value = decodeURIComponent(raw);
  } catch {
    return fail('This link has a malformed %-escape');
  }
  if (value.includes('\\')) return fail('This link contains a backslash');
  if (!allowSlash && value.includes('/')) return fail('This link hides a "/" inside a %-escape (%2F)');
  for (const part of allowSlash ? value.split('/') : [value]) {
    if (part === '.' || part === '..') {
      return fail('This link contains a "." or ".." path segment: a link must name its file directly');
    }
  }
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) return fail('This link has an escaped control or non-ASCII character in it');
  }
  return { ok: true, value };
}

const PLAIN_SEGMENT_RE = /^[A-Za-z0-9._~@:-]*$/;

/** Encodes one path segment, keeping the characters RFC 3986 allows in a segment as they are. */
export function encodeSegment(value: string): string {
  if (PLAIN_SEGMENT_RE.test(value)) return value;
  return encodeURIComponent(value).replace(/%(3A|40|21|24|26|27|28|29|2A|2B|2C|3B|3D)/gi, (m) =>
    decodeURIComponent(m),
  );
}

function splitPath(path: string): string[] {
  return path.split('/').filter((s) => s.length > 0);
}

/** Collection names such as files-processed: lower-case words joined by hyphens. */
const COLLECTION_RE = /^[a-z][a-z0-9-]{0,63}$/;

function drsObjectFromSegments(origin: string, segments: string[], at: number): IdResult {
  const base = `${origin}/${segments
    .slice(0, at + 3)
    .map(encodeSegment)
    .join('/')}`;
  let idSegments = segments.slice(at + 4);
  // .../objects/{id}/access/{access_id} names the same object.
  const access = idSegments.lastIndexOf('access');
  if (access >= 1 && access >= idSegments.length - 2) idSegments = idSegments.slice(0, access);
  if (idSegments.length === 0) return fail('This DRS link has no object id after /objects/');
  const objectId = idSegments.join('/');
  return { ok: true, id: { kind: 'drs-url', objectId, drsBase: base } };
}

const ANY_ACCESSION_RE = /4DNFI[1-9A-Z]{7}|TSTFI[0-9A-Z]{7}/;

function noFileReason(text: string, host: string, segments: string[]): string {
  for (const segment of segments) {
    const check = checkAccession(segment, false);
    if (check !== undefined && !check.ok) return check.reason;
  }
  const named = accessionAtStart(segments[segments.length - 1] ?? '');
  if (named !== undefined && (host.endsWith('.amazonaws.com') || host.endsWith('.googleapis.com'))) {
    return `This looks like a storage link, which expires and cannot be resumed: use the accession ${named} instead`;
  }
  const found = ANY_ACCESSION_RE.exec(text)?.[0];
  const hint = found === undefined ? '' : ` (did you mean ${found}?)`;
  return (
    'This link does not point at a file: expected a portal file page (…/files-processed/4DNFI…/), an ' +
    `@@download link, or a DRS link (…/ga4gh/drs/v1/objects/…)${hint}`
  );
}

function portalId(text: string, authority: Authority, segments: string[]): IdResult {
  const { origin, hostPort } = authority;
  const drsAt = segments.findIndex(
    (s, i) =>
      s === 'ga4gh' && segments[i + 1] === 'drs' && segments[i + 2] === 'v1' && segments[i + 3] === 'objects',
  );
  if (drsAt >= 0) return drsObjectFromSegments(origin, segments, drsAt);

  const view = segments.findIndex((s) => s.startsWith('@@'));
  const itemEnd = view >= 0 ? view : segments.length;
  const candidate = segments[itemEnd - 1];
  const check = candidate === undefined ? undefined : checkAccession(candidate, false);
  if (check !== undefined && !check.ok) return fail(check.reason);
  const prefix = segments.slice(0, Math.max(0, itemEnd - 1));
  const prefixOk = prefix.length === 0 || (prefix.length === 1 && COLLECTION_RE.test(prefix[0] ?? ''));
  if (check === undefined || !prefixOk) return fail(noFileReason(text, hostPort, segments));
  const accession = check.accession;
  const itemPath = `/${[...prefix, accession].join('/')}/`;
  const viewName = view >= 0 ? segments[view] : undefined;
  if (viewName === undefined || viewName === '@@drs') {
    if (view >= 0 && segments.length > view + 1) return fail(noFileReason(text, hostPort, segments));
    return { ok: true, id: { kind: 'portal-item', origin, accession, path: itemPath } };
  }
  if (viewName !== '@@download') {
    return fail(
      `${viewName} pages are not downloads: use the file page, its @@download link, or ${accession}`,
    );
  }
  const after = segments.slice(view + 1);
  if (after.length > 1)
    return fail('A @@download link names one file: there is more path after the file name');
  const fileName = after[0];
  if (fileName !== undefined && fileName.length > 255) return fail('The file name in this link is too long');
  if (fileName?.includes('/')) return fail('This link hides a "/" inside a %-escape (%2F)');
  const url = `${origin}${itemPath}@@download${fileName === undefined ? '' : `/${encodeSegment(fileName)}`}`;
  return {
    ok: true,
    id:
      fileName === undefined
        ? { kind: 'download-url', origin, accession, url }
        : { kind: 'download-url', origin, accession, fileName, url },
  };
}

/** An http(s) link: a portal page, an @@download link, or a DRS object link. */
export function parseHttpUrl(text: string): IdResult {
  const scheme = text.slice(0, 5).toLowerCase() === 'https' ? 'https' : 'http';
  const rest = text.slice(scheme.length + 3);
  const authorityEnd = rest.search(/[/?#]/);
  const rawAuthority = authorityEnd < 0 ? rest : rest.slice(0, authorityEnd);
  const authority = parseAuthority(scheme, rawAuthority);
  if (!authority.ok) return authority;
  const tail = authorityEnd < 0 ? '' : rest.slice(authorityEnd);
  const pathEnd = tail.search(/[?#]/);
  const rawSegments = splitPath(pathEnd < 0 ? tail : tail.slice(0, pathEnd));
  const segments: string[] = [];
  // Only a DRS object id may contain an encoded "/" (e.g. Gen3's dg.4DFC/uuid).
  const drsIdFrom = rawSegments.indexOf('objects') + 1;
  for (const [index, raw] of rawSegments.entries()) {
    const decoded = decodeSegment(raw, drsIdFrom > 0 && index >= drsIdFrom);
    if (!decoded.ok) return decoded;
    segments.push(decoded.value);
  }
  return portalId(text, authority.value, segments);
}

/** `drs://host[:port]/id`. Compact ids (`drs://prefix:acc`, `drs://provider/prefix:acc`) are refused. */
export function parseDrsUri(text: string): IdResult {
  const rest = text.slice('drs://'.length);
  const slash = rest.indexOf('/');
  const rawAuthority = slash < 0 ? rest : rest.slice(0, slash);
  const rawPath = slash < 0 ? '' : (rest.slice(slash + 1).split(/[?#]/)[0] ?? '');
  if (rawAuthority.includes('@')) return fail(CREDENTIALS_REASON);
  const bracketEnd = rawAuthority.startsWith('[') ? rawAuthority.indexOf(']') + 1 : 0;
  const colon = rawAuthority.indexOf(':', bracketEnd);
  const hostOnly = (colon >= 0 ? rawAuthority.slice(0, colon) : rawAuthority).toLowerCase();
  if (slash < 0 && colon >= 0 && !/^\d+$/.test(rawAuthority.slice(colon + 1)))
    return fail(COMPACT_DRS_REASON);
  const looksLikeHost = hostOnly.includes('.') || colon >= 0 || bracketEnd > 0 || isLoopbackHost(hostOnly);
  if (!looksLikeHost && /^[A-Za-z0-9._]+:/.test(rawPath)) return fail(COMPACT_DRS_REASON);
  const scheme = isLoopbackHost(hostOnly) ? 'http' : 'https';
  const authority = parseAuthority(scheme, rawAuthority);
  if (!authority.ok) return authority;
  const segments: string[] = [];
  for (const raw of splitPath(rawPath)) {
    const decoded = decodeSegment(raw, true);
    if (!decoded.ok) return decoded;
    segments.push(decoded.value);
  }
  if (segments.length === 0) return fail('This drs:// URI has no object id: expected drs://host/id');
  // The portal's legacy self_uri (drs://host/files-processed/ACC/@@drs) names the object by its accession.
  const beforeView = segments[segments.length - 2];
  const legacy =
    segments[segments.length - 1] === '@@drs' && beforeView !== undefined && isFileAccession(beforeView);
  const objectId = legacy && beforeView !== undefined ? beforeView : segments.join('/');
  // A drs:// URI always means https, except on loopback test servers (plain http): see isLoopbackHost.
  const { hostPort, origin } = authority.value;
  const drsBase = `${origin}/ga4gh/drs/v1`;
  return { ok: true, id: { kind: 'drs-uri', host: hostPort, objectId, drsBase } };
}
