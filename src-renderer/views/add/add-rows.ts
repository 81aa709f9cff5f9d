import { createElement } from 'react';
import type { ManifestItem, ParsedId } from '../../../src-shared/domain/ids.ts';
import type { FileRow } from '../../components/file-table.tsx';
import type { RowStatus } from '../../store/add-store.ts';
import { BundleTree } from './bundle-tree.tsx';

/** The Accession column: the accession, or the DRS object id (a 4DN accession on the portal) as parsed. */
function accessionOf(id: ParsedId): string {
  switch (id.kind) {
    case 'accession':
    case 'portal-item':
    case 'download-url':
      return id.accession;
    case 'drs-uri':
    case 'drs-url':
      return id.objectId;
  }
}

/** One preview row: what the list said, filled in with what the download will fetch once that is known. */
export function addRow(item: ManifestItem, status: RowStatus | undefined): FileRow {
  const file = status?.kind === 'resolved' ? status.file : undefined;
  const named = item.id.kind === 'download-url' ? item.id.fileName : undefined;
  const base = {
    key: item.key,
    name: file?.name ?? named ?? item.input,
    accession: accessionOf(item.id),
    size: file?.size ?? item.size,
    checksumType: file?.checksums[0]?.type ?? (item.md5 ? 'md5' : undefined),
    created: file?.createdTime,
  };
  if (!status || status.kind === 'pending') return { ...base, status: 'Resolving…', tone: 'muted' };
  if (status.kind === 'resolved') {
    const files = status.file.bundleFiles;
    // A direct URL or an https access id is the everyday case and goes unsaid; an s3 or gs access id is worth a word.
    const via = status.file.access;
    const ready = via && !via.endsWith(' URL') && !via.startsWith('https ') ? `Ready, via ${via}` : 'Ready';
    return { ...base, status: files ? createElement(BundleTree, { files }) : ready, tone: 'plain' };
  }
  return { ...base, status: status.error.message, tone: 'warn' };
}

/** Bytes over the chosen rows; rows without a known size are counted apart. */
export function totalsOf(rows: readonly FileRow[], checked: ReadonlySet<string>) {
  let bytes = 0;
  let files = 0;
  let unknown = 0;
  for (const row of rows) {
    if (!checked.has(row.key)) continue;
    files++;
    if (row.size) bytes += row.size;
    else unknown++;
  }
  return { files, bytes, unknown };
}
