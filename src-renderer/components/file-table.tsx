import type { ReactNode } from 'react';
import { formatBytes } from '../../src-shared/format.ts';

export interface FileRow {
  key: string;
  name: string;
  accession: string;
  size?: number | undefined;
  checksumType?: string | undefined;
  created?: string | undefined;
  status: ReactNode;
  tone?: 'ok' | 'warn' | 'bad' | 'muted' | 'plain';
  /** Why this row cannot be chosen at all (a restricted file in Browse); its box is disabled. */
  unavailable?: string | undefined;
}

export interface FileTableMark {
  text: string;
  tone: string;
  title?: string | undefined;
}

export interface FileTableProps {
  label: string;
  rows: readonly FileRow[];
  checked: ReadonlySet<string>;
  onToggle(key: string): void;
  onToggleAll(checked: boolean): void;
  /** The row whose details are open (Browse). */
  activeKey?: string | undefined;
  onActivate?(key: string): void;
  statusTitle?: string;
  /** What the queue already has of a row's file ("Downloaded, verified", "In the queue"), by row key. */
  marks?: ReadonlyMap<string, FileTableMark>;
  /** Shown in the table's body when it has no rows (what happened, and what to do). */
  empty?: ReactNode;
}

/** ISO dates as YYYY-MM-DD: unambiguous in every locale. */
export function shortDate(iso: string | undefined): string {
  return iso ? iso.slice(0, 10) : '—';
}

/** The file list Add and Browse share: name, accession, size, checksum type, created, status. */
export function FileTable({
  label,
  rows,
  checked,
  onToggle,
  onToggleAll,
  activeKey,
  onActivate,
  statusTitle = 'Status',
  marks,
  empty,
}: FileTableProps) {
  const choosable = rows.filter((row) => row.unavailable === undefined);
  const all = choosable.length > 0 && choosable.every((row) => checked.has(row.key));
  const some = rows.some((row) => checked.has(row.key));
  return (
    <table className="file-table" aria-label={label}>
      <thead>
        <tr>
          <th scope="col" className="c-check">
            <input
              type="checkbox"
              aria-label="Select all"
              checked={all}
              ref={(el) => {
                if (el) el.indeterminate = some && !all;
              }}
              onChange={(e) => onToggleAll(e.target.checked)}
            />
          </th>
          <th scope="col">Name</th>
          <th scope="col">Accession</th>
          <th scope="col" className="num">
            Size
          </th>
          <th scope="col" className="c-checksum">
            Checksum
          </th>
          <th scope="col" className="c-created">
            Created
          </th>
          <th scope="col">{statusTitle}</th>
        </tr>
      </thead>
      <tbody>
        {rows.length === 0 && empty ? (
          <tr>
            <td colSpan={7} className="table-empty">
              {empty}
            </td>
          </tr>
        ) : null}
        {rows.map((row) => (
          <tr
            key={row.key}
            aria-label={row.name}
            aria-current={activeKey === row.key ? 'true' : undefined}
            className={activeKey === row.key ? 'active' : undefined}
          >
            <td className="c-check">
              <input
                type="checkbox"
                aria-label={`Select ${row.name}`}
                disabled={row.unavailable !== undefined}
                title={row.unavailable}
                checked={checked.has(row.key)}
                onChange={() => onToggle(row.key)}
              />
            </td>
            <td className="c-name" title={row.name}>
              {onActivate ? (
                <button type="button" className="link-button" onClick={() => onActivate(row.key)}>
                  {row.name}
                </button>
              ) : (
                row.name
              )}
            </td>
            <td className="mono">{row.accession}</td>
            <td className="num">{row.size !== undefined ? formatBytes(row.size) : '—'}</td>
            <td className="c-checksum">{row.checksumType ?? '—'}</td>
            <td className="c-created date">{shortDate(row.created)}</td>
            <td className={`c-status tone-${row.tone ?? 'muted'}`} data-testid="file-status">
              {row.status}
              <RowMarkBadge mark={marks?.get(row.key)} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function RowMarkBadge({ mark }: { mark: FileTableMark | undefined }) {
  if (!mark) return null;
  return (
    <span className={`queue-mark tone-${mark.tone}`} data-testid="queue-mark" title={mark.title}>
      {mark.text}
    </span>
  );
}
