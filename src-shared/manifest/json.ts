/**
 * JSON lists: an array of id strings, an array of objects with an id field (portal items, DRS objects,
 * anything with accession / url / drs_uri / id), or an object holding such an array under `files`, `@graph`,
 * `items`, ... A single object with an id field counts as a list of one.
 */
import { type ManifestCollector, md5Hint, sizeHint } from './collect.ts';
import { normaliseName } from './table.ts';

const LIST_KEYS = ['files', '@graph', 'items', 'ids', 'accessions', 'objects', 'results', 'data'];
/** Object fields (normalised like table headers), best first. */
const ID_FIELDS = [
  'filedownloadurl',
  'downloadurl',
  'url',
  'drsuri',
  'selfuri',
  'drs',
  'uri',
  'fileaccession',
  'accession',
  'drsid',
  'objectid',
  'id',
];

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** 1-based line of a character offset, counting only up to it. */
function lineAt(text: string, offset: number): number {
  let line = 1;
  let from = 0;
  for (;;) {
    const nl = text.indexOf('\n', from);
    if (nl < 0 || nl >= offset) return line;
    line++;
    from = nl + 1;
  }
}

/**
 * The line each element of the id array starts on (the top-level array, or the array under top-level `key`).
 * JSON.parse gives no positions, so this walks the (already validated) text once.
 */
export function elementLines(text: string, key: string | null): number[] {
  const lines: number[] = [];
  let line = 1;
  let depth = 0;
  let targetDepth = -1;
  let expecting = false;
  let lastString = '';
  let memberKey = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a) line++;
    if (c === 0x0a || c === 0x0d || c === 0x20 || c === 0x09) continue;
    if (expecting && depth === targetDepth && c !== 0x5d) {
      lines.push(line);
      expecting = false;
    }
    if (c === 0x22) {
      const start = i;
      for (i++; i < text.length && text.charCodeAt(i) !== 0x22; i++) {
        if (text.charCodeAt(i) === 0x5c) i++;
      }
      if (depth === 1) lastString = text.slice(start, i + 1);
    } else if (c === 0x3a && depth === 1) {
      memberKey = lastString;
    } else if (c === 0x5b || c === 0x7b) {
      depth++;
      const isTarget = key === null ? depth === 1 : depth === 2 && memberKey === JSON.stringify(key);
      if (c === 0x5b && targetDepth < 0 && isTarget) {
        targetDepth = depth;
        expecting = true;
      }
    } else if (c === 0x5d || c === 0x7d) {
      if (depth === targetDepth) return lines;
      depth--;
    } else if (c === 0x2c && depth === targetDepth) {
      expecting = true;
    }
  }
  return lines;
}

function pick(fields: Map<string, unknown>, names: string[]): string | undefined {
  for (const name of names) {
    const value = fields.get(name);
    if (typeof value === 'string' && value.trim() !== '') return value;
  }
  return undefined;
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return '[…]';
  if (isObject(value)) {
    const keys = Object.keys(value);
    return `{${keys.slice(0, 4).join(', ')}${keys.length > 4 ? ', …' : ''}}`;
  }
  return String(value);
}

function readElement(value: unknown, line: number, collector: ManifestCollector): void {
  if (typeof value === 'string') {
    collector.add(line, value);
    return;
  }
  if (!isObject(value)) {
    collector.reject(
      line,
      describe(value),
      'Expected an id string, or an object with an accession, url or drs_uri',
    );
    return;
  }
  const fields = new Map<string, unknown>();
  for (const [name, field] of Object.entries(value)) {
    const normal = normaliseName(name);
    if (!fields.has(normal)) fields.set(normal, field);
  }
  const id = pick(fields, ID_FIELDS);
  if (id === undefined) {
    collector.reject(line, describe(value), 'This object has no accession, url, drs_uri or id field');
    return;
  }
  const checksums = fields.get('checksums');
  const md5Checksum = Array.isArray(checksums)
    ? checksums.find((c) => isObject(c) && String(c.type).toLowerCase() === 'md5')
    : undefined;
  collector.add(line, id, {
    md5: md5Hint(
      fields.get('md5sum') ?? fields.get('md5') ?? (isObject(md5Checksum) ? md5Checksum.checksum : ''),
    ),
    size: sizeHint(fields.get('filesize') ?? fields.get('size')),
  });
}

/** Lists are a level or three deep; refusing deeper nesting up front keeps JSON.parse fast on hostile input. */
const MAX_DEPTH = 64;

/** Offset where nesting first passes MAX_DEPTH (strings skipped), or -1. */
function tooDeepAt(text: string): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      for (i++; i < text.length && text.charCodeAt(i) !== 0x22; i++) {
        if (text.charCodeAt(i) === 0x5c) i++;
      }
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > MAX_DEPTH) return i;
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    }
  }
  return -1;
}

function rejectAt(text: string, offset: number, reason: string, collector: ManifestCollector): void {
  const line = lineAt(text, offset);
  collector.reject(line, text.split('\n', line)[line - 1] ?? '', reason);
}

export function readJson(text: string, collector: ManifestCollector): void {
  const deep = tooDeepAt(text);
  if (deep >= 0) {
    rejectAt(
      text,
      deep,
      `This JSON is nested more than ${MAX_DEPTH} levels deep: a list of ids never is`,
      collector,
    );
    return;
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    // V8 says "... at position N"; its message can quote the input, so only the position is used.
    const position = /position (\d+)/.exec(error instanceof Error ? error.message : '')?.[1];
    const reason = 'Not valid JSON: check for a missing comma, quote or bracket on or before this line';
    rejectAt(text, position === undefined ? 0 : Number(position), reason, collector);
    return;
  }
  const firstLine = lineAt(text, text.search(/\S/));
  if (Array.isArray(data)) {
    readList(text, data, null, collector);
  } else if (isObject(data)) {
    const key = LIST_KEYS.find((k) => Array.isArray(data[k]));
    const list = key === undefined ? undefined : data[key];
    if (key !== undefined && Array.isArray(list)) readList(text, list, key, collector);
    else readElement(data, firstLine, collector);
  } else {
    readElement(data, firstLine, collector);
  }
}

function readList(text: string, list: unknown[], key: string | null, collector: ManifestCollector): void {
  const lines = elementLines(text, key);
  for (const [index, value] of list.entries()) readElement(value, lines[index] ?? 1, collector);
}
