import type { FileRecord, FileRow } from './catalog.ts';
import { advertisedMd5, isUploaded, type PortalContext } from './context.ts';
import { fileHref } from './item-json.ts';

const HEADER = [
  'File Download URL',
  'Experiment Set Accession',
  'Experiment Accession',
  'File Accession',
  'Size',
  'md5sum',
  'File Type',
  'File Format',
  'Experiment Type',
  'Bio Rep No',
  'Tech Rep No',
  'Biosource',
  'Biosource Type',
  'Organism',
  'Assay Details',
  'Related File Relationship',
  'Related File',
  'Paired end',
  'Lab',
  'Project',
  'Set Status',
  'File Status',
];

type Note = { name: string; reason: string };

/** `metadata_2026-11-20-14h-05m.tsv`, from the portal's start time (UTC), so repeated downloads match. */
export function metadataFileName(ctx: PortalContext): string {
  const iso = ctx.startedAt.toISOString();
  return `metadata_${iso.slice(0, 10)}-${iso.slice(11, 13)}h-${iso.slice(14, 16)}m.tsv`;
}

/**
 * The portal's metadata TSV for these files, in the exact format of fixtures/metadata_*.tsv: intro line, header,
 * one row per file and experiment context (later contexts become "Duplicate of row N"), extra files right after
 * their parent, commented rows for restricted and not-yet-uploaded files, and the summary block. CRLF, N/A.
 */
export function metadataTsv(ctx: PortalContext, selected: FileRecord[]): string {
  const name = metadataFileName(ctx);
  const lines: string[][] = [
    [
      '###',
      'N.B.: File summary located at bottom of TSV file.',
      '',
      '',
      '',
      '',
      'Suggested command to download: ',
      '',
      '',
      `cut -f 1 ./${name} | tail -n +3 | grep -v ^# | xargs -n 1 curl -O -L [--user <access_key_id>:<access_key_secret>]`,
    ],
    HEADER,
  ];
  const seen = new Map<string, number>();
  const notes = {
    extra: [] as Note[],
    duplicate: [] as Note[],
    restricted: [] as Note[],
    unavailable: [] as Note[],
  };
  let live = 0;
  const firsts = selected.map((record) => ({ record, row: record.rows[0] }));
  const laters = selected.flatMap((record) => record.rows.slice(1).map((row) => ({ record, row })));
  for (const { record, row } of [...firsts, ...laters]) {
    const url = ctx.portalUrl + fileHref(record);
    const cells = rowCells(ctx, record, row);
    const label = `${record.sample.accession}.${record.sample.format}`;
    const firstLine = seen.get(url);
    if (firstLine !== undefined) {
      cells[0] = `### Duplicate of row ${firstLine}: ${url}`;
      notes.duplicate.push({ name: label, reason: `Duplicate of row ${firstLine}` });
    } else if (!isUploaded(record)) {
      cells[0] =
        record.sample.format === 'other' ? '### No URL currently available' : `### Not Yet Uploaded: ${url}`;
      cells[4] = 'N/A';
      cells[5] = 'N/A';
      notes.unavailable.push({
        name: label,
        reason: record.sample.format === 'other' ? 'No URL available' : 'Not yet uploaded',
      });
    } else if (record.sample.status === 'restricted') {
      cells[0] = `### Restricted: ${url}`;
      notes.restricted.push({ name: label, reason: 'Restricted' });
    } else {
      cells[0] = url;
      live++;
    }
    seen.set(url, firstLine ?? lines.length + 1);
    lines.push(cells);
    if (firstLine !== undefined || !cells[0]?.startsWith('http')) continue;
    for (const extra of record.extras) {
      const extraCells = rowCells(ctx, record, row);
      extraCells[0] = ctx.portalUrl + extra.info.href;
      extraCells[4] = String(extra.info.size);
      extraCells[5] = advertisedMd5(ctx, record, extra.info.md5);
      extraCells[7] = extra.info.format;
      extraCells[15] = 'secondary file for';
      extraCells[16] = record.sample.accession;
      extraCells[17] = 'N/A';
      seen.set(extraCells[0], lines.length + 1);
      lines.push(extraCells);
      live++;
      notes.extra.push({
        name: `${record.sample.accession}.${extra.info.format}`,
        reason: `Secondary file for ${record.sample.accession}`,
      });
    }
  }
  const rows = lines.length - 2;
  lines.push(
    ['###', '', ''],
    ['###', 'Summary', ''],
    ['###', '', ''],
    ['###', 'Files Selected for Download:', '', '', String(rows), ''],
    ['###', 'Total File Rows:', '', '', String(rows), ''],
    ['###', 'Unique Downloadable Files:', '', '', String(live), ''],
  );
  const section = (list: Note[], title: string) => {
    if (list.length === 0) return;
    lines.push(['###', title, '', '', '', '']);
    list.forEach((note, i) => {
      lines.push(['###', i === 0 ? '    - Details:' : '', note.name, note.reason]);
    });
  };
  const n = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;
  section(
    notes.extra,
    `- Added ${n(notes.extra.length, 'extra file which is', 'extra files which are')} attached to a primary selected file (e.g. pairs_px2 index file with a pairs file):`,
  );
  section(
    notes.duplicate,
    `- Commented out ${n(notes.duplicate.length, 'duplicate file', 'duplicate files')} (e.g. a raw file shared by two experiments):`,
  );
  section(
    notes.restricted,
    `- Commented out ${n(notes.restricted.length, 'restricted file', 'restricted files')} (e.g. access restricted to consortium members):`,
  );
  section(
    notes.unavailable,
    `- Commented out ${n(notes.unavailable.length, 'file which is', 'files which are')} not yet available (e.g. not yet finished uploading):`,
  );
  return lines.map((cells) => `${cells.join('\t')}\r\n`).join('');
}

function rowCells(ctx: PortalContext, record: FileRecord, row: FileRow | undefined): string[] {
  const s = record.sample;
  const set = row?.set;
  const first = row?.experiments[0];
  const cells = [
    '',
    set?.accession,
    row && row.experiments.length > 0 ? row.experiments.map((e) => e.accession).join(', ') : undefined,
    s.accession,
    String(s.size),
    advertisedMd5(ctx, record, record.content.md5Sync()),
    record.fileType,
    s.format,
    set?.experimentType,
    first && String(first.bioRep),
    first && String(first.techRep),
    set?.biosource,
    set?.biosourceType,
    set?.organism,
    set?.assayDetails,
    record.related?.relationship,
    record.related?.accession,
    record.pairedEnd === undefined ? undefined : String(record.pairedEnd),
    record.lab.title,
    '4DN',
    set?.status,
    s.status,
  ];
  return cells.map((cell) => (cell === undefined || cell === '' ? 'N/A' : cell));
}
