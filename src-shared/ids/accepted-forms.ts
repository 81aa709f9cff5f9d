/**
 * What Add accepts, in words, for the server the ids will be looked up on: a 4DN portal takes its file
 * accessions (the real portal's 4DNFI…, a test portal's TSTFI…), its links and its lists; any other DRS server
 * only takes drs:// URIs and DRS object URLs naming its own ids.
 */
import type { CredentialKind } from '../domain/profile.ts';

/** The hosts of this machine: where the sample portal and test servers run. */
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

function urlOf(server: string): URL | undefined {
  try {
    return new URL(server);
  } catch {
    return undefined;
  }
}

/** The file accession prefix a 4DN portal issues: test portals (on this machine) use TSTFI, the portal 4DNFI. */
export function accessionPrefixFor(server: string): '4DNFI' | 'TSTFI' {
  return LOOPBACK.has(urlOf(server)?.hostname ?? '') ? 'TSTFI' : '4DNFI';
}

/** One sentence naming the forms of id accepted for this server (4DN key or none: a portal; else a DRS server). */
export function acceptedForms(server: string, kind: CredentialKind | undefined): string {
  const url = urlOf(server);
  const host = url?.host ?? 'host';
  const base = url ? url.origin : 'https://host';
  if (kind === 'bearer' || kind === 'gen3') {
    return (
      `Accepted, one a line: drs://${host}/<object id> or ${base}/ga4gh/drs/v1/objects/<object id> ` +
      '(this DRS server does not use 4DN accessions); or a CSV, TSV or JSON list of them.'
    );
  }
  const prefix = accessionPrefixFor(server);
  return (
    `Accepted, one a line: accessions (${prefix} and 7 letters or digits, e.g. ${prefix}ABC1234), ` +
    `drs://${host}/${prefix}…, the portal's file pages and @@download links, DRS object URLs; ` +
    "or a list: the portal's metadata TSV, files.txt, CSV/TSV or JSON."
  );
}
