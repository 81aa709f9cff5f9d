import { isAbsolute, relative, resolve, sep } from 'node:path';
import { AppError } from '../../../../src-shared/domain/errors.ts';
import { plainName } from '../../../../src-shared/plain-text.ts';

/**
 * File names as the portal names downloads (<ACC>.<ext>), made safe on Windows, macOS and Linux.
 * 250 bytes rather than 255 so that `<name>.part` still fits a file system's 255-byte limit.
 */
export const MAX_NAME_BYTES = 250;

const RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i;
const COMPRESSION = new Set(['gz', 'bz2', 'xz', 'zst', 'zip', 'bgz', 'px2']);

/** Splits `a.pairs.gz` into `a` and `.pairs.gz` (a compression suffix keeps the extension before it). */
export function splitExtension(name: string): { stem: string; ext: string } {
  const parts = name.split('.');
  if (parts.length < 2 || parts[0] === '') return { stem: name, ext: '' };
  let take = 1;
  if (parts.length > 2 && COMPRESSION.has((parts.at(-1) ?? '').toLowerCase())) take = 2;
  const ext = `.${parts.slice(-take).join('.')}`;
  return { stem: name.slice(0, name.length - ext.length), ext };
}

function cutToBytes(text: string, maxBytes: number): string {
  let out = '';
  let used = 0;
  for (const char of text) {
    const size = Buffer.byteLength(char);
    if (used + size > maxBytes) break;
    out += char;
    used += size;
  }
  return out;
}

/** Keeps the extension and trims the stem so the whole name fits `maxBytes` of UTF-8. */
function fitBytes(name: string, maxBytes: number): string {
  if (Buffer.byteLength(name) <= maxBytes) return name;
  const { stem, ext } = splitExtension(name);
  if (ext && Buffer.byteLength(ext) <= 32) return cutToBytes(stem, maxBytes - Buffer.byteLength(ext)) + ext;
  return cutToBytes(name, maxBytes);
}

/**
 * A name that is safe as one path component everywhere: basename only, no control or reserved characters,
 * no trailing dots or spaces, not a Windows device name, at most MAX_NAME_BYTES. Empty results use `fallback`.
 */
export function sanitizeFileName(raw: string, fallback = 'download'): string {
  const base = raw.normalize('NFC').split(/[/\\]/).pop() ?? '';
  let name = plainName(base)
    .replace(/[<>:"|?*]/g, '_')
    .trim()
    .replace(/^\.+/, '')
    .replace(/[. ]+$/, '');
  if (RESERVED.test(name)) name = `_${name}`;
  name = fitBytes(name, MAX_NAME_BYTES).replace(/[. ]+$/, '');
  if (name === '') return fallback === 'download' ? 'download' : sanitizeFileName(fallback, 'download');
  return name;
}

/** The last path segment of a URL, decoded, when it looks like a file name (has an extension). */
export function nameFromUrl(url: string): string | undefined {
  let segment: string;
  try {
    segment = new URL(url).pathname.split('/').pop() ?? '';
    segment = decodeURIComponent(segment);
  } catch {
    return undefined;
  }
  return /[^.]\.[A-Za-z0-9]/.test(segment) ? segment : undefined;
}

/** Longer headers are not a file name a server means: the parser never reads past this. */
export const MAX_DISPOSITION_LENGTH = 4096;

/**
 * The parameters of a Content-Disposition header, read in one pass (no backtracking pattern on server input):
 * `name=token` or `name="quoted \" string"`, separated by `;`. Names are lower-cased; the first of each wins.
 */
function dispositionParams(header: string): Map<string, string> {
  const text = header.slice(0, MAX_DISPOSITION_LENGTH);
  const params = new Map<string, string>();
  let i = 0;
  while (i < text.length) {
    const equals = text.indexOf('=', i);
    const semicolon = text.indexOf(';', i);
    if (equals < 0) break;
    if (semicolon >= 0 && semicolon < equals) {
      i = semicolon + 1; // a segment without a value, such as `attachment`
      continue;
    }
    const name = text.slice(i, equals).trim().toLowerCase();
    let value: string;
    let j = equals + 1;
    while (text[j] === ' ' || text[j] === '\t') j++;
    if (text[j] === '"') {
      value = '';
      for (j++; j < text.length && text[j] !== '"'; j++) {
        if (text[j] === '\\' && j + 1 < text.length) j++;
        value += text[j];
      }
      const end = text.indexOf(';', j);
      i = end < 0 ? text.length : end + 1;
    } else {
      const end = text.indexOf(';', j);
      value = text.slice(j, end < 0 ? text.length : end).trim();
      i = end < 0 ? text.length : end + 1;
    }
    if (name !== '' && !params.has(name)) params.set(name, value);
  }
  return params;
}

/** `attachment; filename="x"` or RFC 5987 `filename*=UTF-8''x` (preferred when both are there). */
export function nameFromContentDisposition(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const params = dispositionParams(header);
  const extended = params.get('filename*');
  const quote = extended?.indexOf("'") ?? -1;
  const secondQuote = quote < 0 ? -1 : (extended?.indexOf("'", quote + 1) ?? -1);
  if (extended !== undefined && secondQuote >= 0) {
    try {
      const decoded = decodeURIComponent(extended.slice(secondQuote + 1).trim());
      if (decoded) return decoded;
    } catch {
      /* fall through to the plain form */
    }
  }
  return params.get('filename')?.trim() || undefined;
}

/** Storage URL basename, then Content-Disposition, then the DRS (or portal) name, then the fallback. */
export function chooseFileName(options: {
  storageUrl?: string | undefined;
  contentDisposition?: string | undefined;
  sourceName?: string | undefined;
  fallback: string;
}): string {
  const candidate =
    (options.storageUrl ? nameFromUrl(options.storageUrl) : undefined) ??
    nameFromContentDisposition(options.contentDisposition) ??
    options.sourceName ??
    options.fallback;
  return sanitizeFileName(candidate, options.fallback);
}

/** `name (1).ext`, `name (2).ext`, ...: the first that `isTaken` refuses. */
export async function uniqueFileName(
  name: string,
  isTaken: (candidate: string) => boolean | Promise<boolean>,
): Promise<string> {
  if (!(await isTaken(name))) return name;
  const { stem, ext } = splitExtension(name);
  for (let n = 1; ; n++) {
    const suffix = ` (${n})${ext}`;
    const candidate = cutToBytes(stem, MAX_NAME_BYTES - Buffer.byteLength(suffix)) + suffix;
    if (!(await isTaken(candidate))) return candidate;
  }
}

/** The absolute path of `name` in `dir`, proven to stay inside `dir`. */
export function pathInside(dir: string, name: string): string {
  const root = resolve(dir);
  const full = resolve(root, name);
  const rel = relative(root, full);
  if (rel === '' || rel.startsWith(`..${sep}`) || rel === '..' || isAbsolute(rel) || rel.includes(sep)) {
    throw new AppError(
      'path-unsafe',
      `Refused to save "${name.slice(0, 200)}": it would land outside ${root}.`,
    );
  }
  return full;
}
