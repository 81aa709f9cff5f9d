/**
 * Turns a pasted or dropped list into ids: a plain list, the portal's metadata TSV, the older files.txt,
 * CSV/TSV with a header, or JSON. The file name's extension is only a hint; the content decides.
 * Never throws, runs in linear time, and reports every bad line with its 1-based line number.
 */
import type { ManifestFormat, ManifestResult } from '../domain/ids.ts';
import { parseId } from '../ids/ids.ts';
import { ManifestCollector } from './collect.ts';
import { readJson } from './json.ts';
import { Lines } from './lines.ts';
import { type Columns, headerColumns, MAX_RECORD_LENGTH, readRecord, readTable } from './table.ts';

/** Past this many bad entries on one line, the rest are summed up in one rejection. */
const REJECTS_PER_LINE = 20;
/** The shortest text parseId can accept is `drs://h/x`: anything shorter is rejected without parsing. */
const MIN_ID_LENGTH = 9;

export function parseManifest(text: string, options: { fileName?: string } = {}): ManifestResult {
  const collector = new ManifestCollector();
  let format: ManifestFormat = 'plain';
  try {
    format = read(typeof text === 'string' ? text : '', extensionOf(options.fileName), collector);
  } catch {
    // A safety net: every reader is written not to throw, but a list must never take the app down.
    collector.reject(1, '', 'This list could not be read: save it as plain text with one id per line');
  }
  return {
    format,
    items: collector.items,
    rejected: collector.rejected,
    duplicates: collector.duplicates,
    unavailable: collector.unavailable,
  };
}

function extensionOf(fileName: string | undefined): string {
  if (typeof fileName !== 'string') return '';
  const dot = fileName.lastIndexOf('.');
  return dot < 0 ? '' : fileName.slice(dot + 1).toLowerCase();
}

function firstContentIndex(lines: Lines, from: number, skipComments: boolean): number {
  for (let i = from; i < lines.count; i++) {
    if (lines.lengthOf(i) === 0) continue;
    const trimmed = lines.line(i).trim();
    if (trimmed !== '' && !(skipComments && trimmed.startsWith('#'))) return i;
  }
  return -1;
}

function read(raw: string, ext: string, collector: ManifestCollector): ManifestFormat {
  const text = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
  const contentAt = text.search(/\S/);
  const firstChar = text[contentAt];
  // Content decides: a .json file only makes a bare JSON string ("4DNFI…") read as JSON.
  if (firstChar === '[' || firstChar === '{' || (ext === 'json' && firstChar === '"')) {
    readJson(text, collector);
    return 'json';
  }
  if (contentAt < 0) return 'plain';
  const lines = new Lines(text);
  const first = firstContentIndex(lines, lines.indexAt(contentAt), false);
  if (first < 0) return 'plain';
  const firstLine = lines.line(first).trim();

  const header = firstContentIndex(lines, first, true);
  const table = header < 0 ? undefined : detectTable(lines.line(header), ext);
  if (table !== undefined) {
    const isMetadata = firstLine.startsWith('###') && table.delimiter === '\t' && table.columns.ids[0] === 0;
    readTable(lines, table.hasHeader ? header + 1 : header, table.delimiter, table.columns, collector);
    if (isMetadata) return 'metadata-tsv';
    return table.delimiter === '\t' ? 'tsv' : 'csv';
  }
  if (isMetadataLink(firstLine)) {
    readPlain(lines, first + 1, collector);
    return 'files-txt';
  }
  readPlain(lines, first, collector);
  return 'plain';
}

/** files.txt from the portal's older /batch_download/ starts with a link to its metadata TSV. */
function isMetadataLink(line: string): boolean {
  if (!/^https?:\/\/\S+$/i.test(line) || line.includes('@@download')) return false;
  const lower = line.toLowerCase();
  return lower.includes('/metadata') || lower.endsWith('.tsv');
}

interface TableShape {
  delimiter: string;
  columns: Columns;
  hasHeader: boolean;
}

function fieldsOf(line: string, delimiter: string): string[] | undefined {
  const record = readRecord(new Lines(line), 0, delimiter, false);
  return 'fields' in record ? record.fields : undefined;
}

/**
 * A header naming an id column makes a table; without one, a .csv/.tsv file is read as a table too, using the
 * first column whose first cell is an id (so other columns are ignored rather than rejected one by one).
 */
function detectTable(line: string, ext: string): TableShape | undefined {
  if (line.length > MAX_RECORD_LENGTH) return undefined;
  for (const delimiter of ['\t', ',', ';']) {
    if (!line.includes(delimiter)) continue;
    const fields = fieldsOf(line, delimiter);
    const columns = fields === undefined ? undefined : headerColumns(fields);
    if (columns !== undefined) return { delimiter, columns, hasHeader: true };
  }
  const single = headerColumns([line.trim().replace(/^"(.*)"$/, '$1')]);
  if (single !== undefined)
    return { delimiter: ext === 'tsv' ? '\t' : ',', columns: single, hasHeader: true };
  if (ext !== 'csv' && ext !== 'tsv') return undefined;
  const delimiter =
    ext === 'tsv' || line.includes('\t') ? '\t' : line.includes(',') || !line.includes(';') ? ',' : ';';
  if (!line.includes(delimiter)) return undefined;
  const column = fieldsOf(line, delimiter)?.findIndex((field) => parseId(field).ok) ?? -1;
  return column < 0 ? undefined : { delimiter, columns: { ids: [column] }, hasHeader: false };
}

/** Ids on a plain line are separated by spaces, tabs, commas or semicolons. */
function isSeparator(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x2c || c === 0x3b || c === 0x0b || c === 0x0c;
}

function readPlain(lines: Lines, from: number, collector: ManifestCollector): void {
  for (let i = from; i < lines.count; i++) {
    if (lines.lengthOf(i) === 0) continue;
    const line = lines.line(i);
    const lineNo = i + 1;
    let rejects = 0;
    let end = 0;
    // A line with no id at all ("hello world, not an id!") is one rejection, not one per word.
    const before = collector.items.length + collector.duplicates.length;
    const lineRejects: Array<{ value: string; reason: string }> = [];
    while (end < line.length) {
      let start = end;
      while (start < line.length && isSeparator(line.charCodeAt(start))) start++;
      end = start;
      while (end < line.length && !isSeparator(line.charCodeAt(end))) end++;
      if (end === start) break;
      // Quick exits before slicing: a comment ends the line, and past the cap a short token is only counted.
      if (line.charCodeAt(start) === 0x23) break;
      if (rejects >= REJECTS_PER_LINE && end - start < MIN_ID_LENGTH) {
        rejects++;
        continue;
      }
      const value = line.slice(start, end).trim();
      if (value === '') continue;
      if (value.startsWith('#')) break;
      const reason = collector.tryAdd(lineNo, value);
      if (reason === undefined) continue;
      if (rejects < REJECTS_PER_LINE) lineRejects.push({ value, reason });
      rejects++;
    }
    const first = lineRejects[0];
    if (first && collector.items.length + collector.duplicates.length === before) {
      collector.reject(lineNo, line, first.reason);
      continue;
    }
    for (const { value, reason } of lineRejects) collector.reject(lineNo, value, reason);
    if (rejects > REJECTS_PER_LINE) {
      collector.reject(
        lineNo,
        '',
        `…and ${rejects - REJECTS_PER_LINE} more entries on this line that are not ids`,
      );
    }
  }
}
