/**
 * A sample portal in its own process holding N files of 64 KiB, for profiling and A/B timing of case (c) and (c')
 * outside `npm run bench` (where the portal shares the bench's process):
 *
 *   node bench/small-files.ts --files 300 --dir /tmp/sf
 *   node bench/small-files.ts --files 1 --size 268435456 --throughput 8388608 --dir /tmp/b   (case (b)'s file)
 *
 * writes DIR/accessions.txt, DIR/metadata.tsv (the portal's metadata TSV of those files), DIR/storage-urls.txt,
 * DIR/aria2.txt (aria2c's input list) and DIR/portal.json
 * ({portal, keypairs}), prints that JSON line on stdout, and serves until SIGINT or SIGTERM. Then, for example:
 *
 *   bin/4dn-dl.js get -i DIR/accessions.txt -o OUT -j 8 --keypairs KEYPAIRS --json
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startSamplePortal } from '../sample-portal/server.ts';
import { fetchMetadataTsv, storageUrl } from './portal-fetch.ts';

const { values } = parseArgs({
  options: {
    files: { type: 'string', default: '300' },
    dir: { type: 'string' },
    size: { type: 'string' },
    // Bytes per second per storage connection, as case (b) caps its file.
    throughput: { type: 'string' },
  },
});
if (!values.dir) throw new Error('--dir DIR is needed: where accessions.txt and metadata.tsv go');
const dir = values.dir;
const count = Number(values.files);
const size = Number(values.size ?? 64 * 1024);

const portal = await startSamplePortal({ files: 0, dataDir: join(dir, 'portal') });
const small = Array.from({ length: count }, () => portal.addFile({ size, format: 'bw' }));
if (values.throughput) {
  for (const f of small) portal.setFaults(f.accession, { throughputBytesPerSec: Number(values.throughput) });
}
await writeFile(join(dir, 'accessions.txt'), `${small.map((f) => f.accession).join('\n')}\n`);
await writeFile(
  join(dir, 'metadata.tsv'),
  await fetchMetadataTsv(
    portal,
    small.map((f) => f.accession),
  ),
);
// Storage URLs (the @@download hop done once): aria2c's input (as bench/run.ts gives it) and a plain list for
// bench/http-per-request.ts.
const storage: string[] = [];
for (const f of small) storage.push(await storageUrl(portal, f.accession));
await writeFile(join(dir, 'storage-urls.txt'), `${storage.join('\n')}\n`);
await writeFile(
  join(dir, 'aria2.txt'),
  `${storage.map((url, i) => `${url}\n  out=${small[i]?.fileName}`).join('\n')}\n`,
);
const info = JSON.stringify({ portal: portal.portalUrl, keypairs: portal.keypairsPath });
await writeFile(join(dir, 'portal.json'), `${info}\n`);
process.stdout.write(`${info}\n`);
const stop = () => void portal.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
