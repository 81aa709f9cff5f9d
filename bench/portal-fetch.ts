import type { SamplePortal } from '../sample-portal/server.ts';

/** The portal's @@download URL of a file, as the metadata TSV lists it. */
export function downloadUrl(portal: SamplePortal, accession: string): string {
  const file = portal.file(accession);
  return `${portal.portalUrl}/${file.itemType}/${accession}/@@download/${file.fileName}`;
}

/** aria2c scopes --http-user by host, not port, and would send Basic auth to storage: hand it storage URLs. */
export async function storageUrl(portal: SamplePortal, accession: string): Promise<string> {
  const auth = Buffer.from(`${portal.key}:${portal.secret}`).toString('base64');
  const response = await fetch(downloadUrl(portal, accession), {
    headers: { authorization: `Basic ${auth}` },
    redirect: 'manual',
  });
  const location = response.headers.get('location');
  if (response.status !== 307 || !location) throw new Error(`@@download answered ${response.status}`);
  return location;
}

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
