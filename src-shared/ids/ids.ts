/**
 * One id a user typed, pasted or listed: what it is, where DRS would resolve it, and how to de-duplicate it.
 *
 * Decisions (see also the ParsedId docs in domain/ids.ts):
 * - A bare accession in lower case is normalised to upper case; inside a link it is refused with a hint,
 *   because links are sent to the server as written and the portal's paths are case-sensitive.
 * - Non-ASCII characters (look-alikes, full-width digits, zero-width spaces) are refused, never mapped.
 * - drs://127.0.0.1, drs://localhost and drs://[::1] resolve over plain http (our test servers); every other
 *   drs:// host over https.
 * - De-duplication (idKey): accessions are unique across 4DN, so a bare accession, a portal page, an unnamed
 *   @@download link and a drs:// URI whose id is that accession are one file, whatever the server. A
 *   @@download link that names a file is keyed by accession plus name: it may be an extra file (pairs_px2),
 *   which shares its parent's accession but is a different download.
 */
import type { ParsedId } from '../domain/ids.ts';
import { checkAccession } from './accession.ts';
import { textProblem } from './text.ts';
import { encodeSegment, parseDrsUri, parseHttpUrl } from './url.ts';

export { ACCESSION_RE, isFileAccession } from './accession.ts';
export { echoInput, MAX_ID_LENGTH } from './text.ts';

export type ParseIdResult = { ok: true; id: ParsedId } | { ok: false; reason: string };

const SCHEME_RE = /^([A-Za-z][A-Za-z0-9+.-]{0,31}):/;
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HOST_PATH_RE = /^[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+(?::\d+)?\//;

export function parseId(text: string): ParseIdResult {
  const trimmed = typeof text === 'string' ? text.trim() : '';
  const problem = textProblem(trimmed);
  if (problem !== undefined) return { ok: false, reason: problem };

  const scheme = SCHEME_RE.exec(trimmed)?.[1]?.toLowerCase();
  if (scheme !== undefined) {
    if (
      (scheme === 'http' || scheme === 'https') &&
      trimmed.slice(scheme.length, scheme.length + 3) === '://'
    ) {
      return parseHttpUrl(trimmed);
    }
    if (scheme === 'drs' && trimmed.slice(3, 6) === '://') return parseDrsUri(trimmed);
    if (scheme !== 'http' && scheme !== 'https' && scheme !== 'drs') {
      return {
        ok: false,
        reason: `${scheme}: links are not supported: use an accession, drs://host/id, or an https:// portal or DRS link`,
      };
    }
    return { ok: false, reason: `Malformed link: expected ${scheme}:// followed by a host` };
  }

  const accession = checkAccession(trimmed, true);
  if (accession?.ok) return { ok: true, id: { kind: 'accession', accession: accession.accession } };
  if (accession !== undefined) return { ok: false, reason: accession.reason };
  return { ok: false, reason: bareReason(trimmed) };
}

function bareReason(text: string): string {
  if (UUID_RE.test(text)) {
    return 'A bare uuid cannot be resolved on its own: use drs://host/<uuid> or the file accession';
  }
  if (HOST_PATH_RE.test(text)) return 'This looks like a link without its scheme: add https:// in front';
  if (text.startsWith('/'))
    return 'This is a path without a server: use the full https:// link or the accession';
  return (
    'Not an accession, DRS URI or link: expected a file accession (4DNFI, or TSTFI on a test portal, and ' +
    '7 letters or digits), drs://host/id, or an https:// portal or DRS link'
  );
}

/** Canonical de-duplication key (see the module comment for what counts as the same file). */
export function idKey(id: ParsedId): string {
  switch (id.kind) {
    case 'accession':
    case 'portal-item':
      return `file:${id.accession}`;
    case 'download-url':
      return id.fileName === undefined ? `file:${id.accession}` : `file:${id.accession}/${id.fileName}`;
    case 'drs-uri':
    case 'drs-url': {
      const asAccession = checkAccession(id.objectId, false);
      return asAccession?.ok ? `file:${asAccession.accession}` : `drs:${id.drsBase}/objects/${id.objectId}`;
    }
  }
}

/** A short label: the accession, the named file, or the DRS object id. */
export function displayName(id: ParsedId): string {
  switch (id.kind) {
    case 'accession':
    case 'portal-item':
      return id.accession;
    case 'download-url':
      return id.fileName ?? id.accession;
    case 'drs-uri':
    case 'drs-url':
      return id.objectId;
  }
}

function withoutTrailingSlashes(text: string): string {
  let end = text.length;
  while (end > 0 && text[end - 1] === '/') end--;
  return text.slice(0, end);
}

function encodeObjectId(objectId: string): string {
  return objectId.split('/').map(encodeSegment).join('/');
}

/**
 * The DRS object URL that would describe this id, or undefined when DRS cannot: a @@download link that names
 * a file may name an extra file (pairs_px2), which has no DRS object; take its md5 and size from the item's
 * `extra_files` (or the manifest's hints) instead. `defaultServer` (e.g. the profile's
 * `https://data.4dnucleome.org/`) is used for bare accessions; undefined when it is empty.
 */
export function drsObjectUrl(id: ParsedId, defaultServer: string): string | undefined {
  switch (id.kind) {
    case 'accession': {
      const server = withoutTrailingSlashes(defaultServer.trim());
      return server === '' ? undefined : `${server}/ga4gh/drs/v1/objects/${id.accession}`;
    }
    case 'portal-item':
      return `${id.origin}/ga4gh/drs/v1/objects/${id.accession}`;
    case 'download-url':
      return id.fileName === undefined ? `${id.origin}/ga4gh/drs/v1/objects/${id.accession}` : undefined;
    case 'drs-uri':
    case 'drs-url':
      return `${id.drsBase}/objects/${encodeObjectId(id.objectId)}`;
  }
}
