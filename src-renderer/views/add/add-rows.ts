import type { ManifestItem, ParsedId } from '../../../src-shared/domain/ids.ts';
import { expectedFileName } from '../../../src-shared/file-names.ts';
import type { FileRow } from '../../components/file-table.tsx';
import type { RowStatus } from '../../store/add-store.ts';

function accessionOf(id: ParsedId): string | undefined {
  switch (id.kind) {
    case 'accession':
    case 'portal-item':
    case 'download-url':
      return id.accession;
    default:
      return undefined;
  }
}

/** One preview row: what the list said, filled in by the DRS object once it resolves. */
export function addRow(item: ManifestItem, status: RowStatus | undefined): FileRow {
  const object = status?.kind === 'resolved' ? status.object : undefined;
  const fileName = item.id.kind === 'download-url' ? item.id.fileName : undefined;
  const accession = accessionOf(item.id) ?? object?.id ?? '—';
  const base = {
    key: item.key,
    // The name it will be saved under where the object tells it (<ACC>.<ext>), not the submitter's own.
    name: fileName ?? (object && (expectedFileName(object) ?? object.name)) ?? item.input,
    accession,
    size: object?.size || item.size,
    checksumType: object?.checksums[0]?.type ?? (item.md5 ? 'md5' : undefined),
    created: object?.createdTime,
  };
  if (!status || status.kind === 'pending') return { ...base, status: 'Resolving…', tone: 'muted' };
  if (status.kind === 'resolved') return { ...base, status: 'Ready', tone: 'plain' };
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
