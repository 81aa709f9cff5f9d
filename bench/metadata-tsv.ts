import type { SamplePortal } from '../sample-portal/server.ts';

/** The portal's metadata TSV of these files (md5, size and URL per row), as a user downloads it. */
export async function fetchMetadataTsv(portal: SamplePortal, accessions: readonly string[]): Promise<string> {
  const tsv = await fetch(`${portal.portalUrl}/metadata/`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${portal.key}:${portal.secret}`).toString('base64')}`,
    },
    // Form-encoded: the sample portal reads a repeated accession= this way (a JSON array selects everything).
    body: new URLSearchParams(accessions.map((a): [string, string] => ['accession', a])).toString(),
  });
  if (!tsv.ok) throw new Error(`/metadata/ answered ${tsv.status}`);
  return tsv.text();
}
