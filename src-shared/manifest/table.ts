/**
 * Delimited tables (the portal's metadata TSV, CSV/TSV with a header, or a headerless CSV/TSV column).
 * Quoted fields follow RFC 4180 (commas, "" escapes, newlines inside quotes). Linear time: fields are found
 * with indexOf, and after one unterminated quote the rest is read one line per record, so a stray quote can
 * make us rescan the text at most once.
 */
import { isFileAccession } from '../ids/accession.ts';
import { type ManifestCollector, md5Hint, sizeHint } from './collect.ts';
import type { Lines } from './lines.ts';

/** No list entry needs a longer row; past this a row (or a quoted field running over lines) is refused. */
export const MAX_RECORD_LENGTH = 64 * 1024;

export interface Columns {
  /** Candidate id columns, best first: a row uses the first that is not empty or N/A. */
  ids: number[];
  md5?: number | undefined;
  size?: number | undefined;
  accession?: number | undefined;
}

/** Header names (lower case, letters and digits only), best first: URLs tell a pairs_px2 from its parent. */
const ID_COLUMNS = [
  'filedownloadurl',
  'downloadurl',
  'fileurl',
  'url',
  'drsuri',
  'drsurl',
  'drs',
  'selfuri',
  'uri',
  'fileaccession',
  'accession',
  'drsid',
  'objectid',
  'fileid',
  'id',
];
const MD5_COLUMNS = ['md5sum', 'md5', 'filemd5', 'filemd5sum'];
const SIZE_COLUMNS = ['size', 'filesize', 'sizebytes', 'filesizebytes', 'bytes'];
const ACCESSION_COLUMNS = ['fileaccession', 'accession'];

export function normaliseName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

function firstIndex(names: string[], wanted: string[]): number | undefined {
  for (const w of wanted) {
    const at = names.indexOf(w);
    if (at >= 0) return at;
  }
  return undefined;
}

/** Which columns hold ids and hints, or undefined when no header cell names an id column. */
export function headerColumns(fields: string[]): Columns | undefined {
  if (fields.length > 1000) return undefined;
  const names = fields.map(normaliseName);
  const ids: number[] = [];
  for (const wanted of ID_COLUMNS) {
    const at = names.indexOf(wanted);
    if (at >= 0 && !ids.includes(at)) ids.push(at);
  }
  if (ids.length === 0) return undefined;
  return {
    ids,
    md5: firstIndex(names, MD5_COLUMNS),
    size: firstIndex(names, SIZE_COLUMNS),
    accession: firstIndex(names, ACCESSION_COLUMNS),
  };
}

type RecordResult = { fields: string[]; next: number } | { error: string; next: number };

/** Reads one record starting at line `start`; `multiline` lets a quoted field run onto later lines. */
export function readRecord(lines: Lines, start: number, delimiter: string, multiline: boolean): RecordResult {
  const fields: string[] = [];
  let row = start;
  let text = lines.line(row);
  let length = text.length;
  let pos = 0;
  for (;;) {
    let lead = pos;
    while (text[lead] === ' ') lead++;
    if (text[lead] !== '"') {
      const end = text.indexOf(delimiter, pos);
      fields.push(text.slice(pos, end < 0 ? text.length : end));
      if (end < 0) return { fields, next: row + 1 };
      pos = end + delimiter.length;
      continue;
    }
    let value = '';
    const firstRow = row;
    pos = lead + 1;
    for (;;) {
      const quote = text.indexOf('"', pos);
      if (quote < 0) {
        row++;
        if (!multiline || row >= lines.count) return { error: 'unterminated', next: start + 1 };
        length += lines.lengthOf(row) + 1;
        if (length > MAX_RECORD_LENGTH) return { error: 'too long', next: start + 1 };
        value += `${text.slice(pos)}\n`;
        text = lines.line(row);
        pos = 0;
        continue;
      }
      value += text.slice(pos, quote);
      if (text[quote + 1] === '"') {
        value += '"';
        pos = quote + 2;
        continue;
      }
      pos = quote + 1;
      break;
    }
    // Anything between the closing quote and the delimiter is kept, as spreadsheet programs do; but a field
    // that ran over lines and then does not end cleanly means a stray quote swallowed lines: refuse it.
    const end = text.indexOf(delimiter, pos);
    const junk = text.slice(pos, end < 0 ? text.length : end);
    if (row > firstRow && junk.trim() !== '') return { error: 'stray quote', next: start + 1 };
    fields.push(value + junk);
    if (end < 0) return { fields, next: row + 1 };
    pos = end + delimiter.length;
  }
}

const UNAVAILABLE_LABEL_RE = /^[A-Za-z][A-Za-z0-9 ]{0,60}$/;
const DUPLICATE_LABEL_RE = /^Duplicate of row (\d+)$/;

/** How every reason for a row the portal itself left out of its list begins (Restricted, Not Yet Uploaded, a duplicate). */
const LISTED_BY_PORTAL = 'The portal lists this ';

/** A rejection that is a row the portal left out of its own list: "not included", not a failed request. */
export function isListedUnavailable(rejected: { reason: string }): boolean {
  return rejected.reason.startsWith(LISTED_BY_PORTAL);
}

/**
 * A metadata TSV row the portal commented out (`### Not Yet Uploaded: <url>`, `### Restricted:`,
 * `### No URL currently available`, `### Duplicate of row N:`): noted so the user learns why a selected file
 * is missing, or why a row of the list is not a download of its own.
 */
function noteUnavailable(line: string, lineNo: number, columns: Columns, collector: ManifestCollector): void {
  if (!line.startsWith('###') || columns.accession === undefined) return;
  const body = line.slice(3);
  const labelEnd = body.search(/[:\t]/);
  const label = (labelEnd < 0 ? body : body.slice(0, labelEnd)).trim();
  if (!UNAVAILABLE_LABEL_RE.test(label)) return;
  const accession = line.split('\t', columns.accession + 1)[columns.accession]?.trim() ?? '';
  if (!isFileAccession(accession)) return;
  const duplicateOf = DUPLICATE_LABEL_RE.exec(label)?.[1];
  collector.unavailable.push({
    line: lineNo,
    text: accession,
    reason:
      duplicateOf !== undefined
        ? `${LISTED_BY_PORTAL}row as a duplicate of row ${duplicateOf}: that row downloads the file`
        : `${LISTED_BY_PORTAL}file as "${label}": it cannot be downloaded now`,
  });
}

const EMPTY_CELLS = new Set(['', 'N/A', 'n/a', 'NA', '-']);

/** Reads the rows from line `from` on (after the header, if any); lines starting with # are comments. */
export function readTable(
  lines: Lines,
  from: number,
  delimiter: string,
  columns: Columns,
  collector: ManifestCollector,
): void {
  let multiline = true;
  let i = from;
  while (i < lines.count) {
    const lineNo = i + 1;
    const length = lines.lengthOf(i);
    if (length > MAX_RECORD_LENGTH) {
      collector.reject(lineNo, '', `This row is too long (${length} characters) to be part of a list`);
      i++;
      continue;
    }
    const line = lines.line(i);
    if (line.startsWith('#')) {
      noteUnavailable(line, lineNo, columns, collector);
      i++;
      continue;
    }
    if (line.trim() === '') {
      i++;
      continue;
    }
    const record = readRecord(lines, i, delimiter, multiline);
    i = record.next;
    if ('error' in record) {
      multiline = false;
      collector.reject(
        lineNo,
        line,
        'A quoted field is not closed on this line: add the closing quote (") or remove it',
      );
      continue;
    }
    const cell = columns.ids.map((c) => record.fields[c]?.trim() ?? '').find((v) => !EMPTY_CELLS.has(v));
    if (cell === undefined) {
      if (record.fields.some((f) => f.trim() !== '')) {
        collector.reject(lineNo, line, 'This row has no id: its accession, URL or DRS column is empty');
      }
      continue;
    }
    collector.add(lineNo, cell, {
      md5: columns.md5 === undefined ? undefined : md5Hint(record.fields[columns.md5]),
      size: columns.size === undefined ? undefined : sizeHint(record.fields[columns.size]),
    });
  }
}
