import type { Checksum } from '../../../src-shared/domain/drs.ts';
import { AppError } from '../../../src-shared/domain/errors.ts';
import { hostOf } from '../http/credentials.ts';

/** A downloadable file described by portal item JSON: the item's main file or one of its extra files. */
export interface ItemFile {
  fileName: string;
  size?: number;
  checksums: Checksum[];
  /** Absolute @@download URL. */
  downloadUrl: string;
}

type Json = Record<string, unknown>;

/** The last path segment of a URL, when it names a file (not "@@download" or a bare folder). */
export function fileNameFromUrl(url: string): string | undefined {
  try {
    const last = new URL(url, 'http://x').pathname.split('/').pop() ?? '';
    const name = decodeURIComponent(last);
    return name.includes('.') && !name.startsWith('@@') ? name : undefined;
  } catch {
    return undefined;
  }
}

function describe(entry: Json, origin: string, fallbackName: string): ItemFile | undefined {
  const href = typeof entry.href === 'string' ? entry.href : undefined;
  if (href === undefined) return undefined;
  const downloadUrl = new URL(href, origin).href;
  const file: ItemFile = {
    fileName: fileNameFromUrl(downloadUrl) ?? fallbackName,
    checksums:
      typeof entry.md5sum === 'string' && /^[0-9a-f]{32}$/i.test(entry.md5sum)
        ? [{ type: 'md5', value: entry.md5sum.toLowerCase() }]
        : [],
    downloadUrl,
  };
  if (typeof entry.file_size === 'number' && entry.file_size > 0) file.size = entry.file_size;
  return file;
}

/** Statuses of files whose bytes are not (or no longer) in storage. */
const NOT_UPLOADED = new Set(['uploading', 'upload failed', 'to be uploaded by workflow', 'deleted']);

/** Restricted and not-yet-uploaded files can be viewed but never downloaded: say so before anything is queued. */
export function assertDownloadable(item: Json, accession: string, origin: string): void {
  const host = hostOf(origin);
  if (item.status === 'restricted') {
    throw new AppError(
      'restricted',
      `${accession} is restricted on ${host}: it can be viewed but not downloaded.`,
    );
  }
  if (typeof item.status === 'string' && NOT_UPLOADED.has(item.status)) {
    throw new AppError(
      'not-found',
      `${accession} has no file to download on ${host} yet (status: ${item.status}).`,
    );
  }
}

/** The item's main file, from md5sum, file_size and href. */
export function mainItemFile(item: Json, accession: string, origin: string): ItemFile {
  assertDownloadable(item, accession, origin);
  const title = typeof item.display_title === 'string' ? item.display_title : accession;
  const file = describe(item, origin, title);
  if (!file) throw new AppError('not-found', `${accession} has no downloadable file on ${hostOf(origin)}.`);
  return file;
}

/** The file named `fileName` in this item: the main file or the extra file whose href ends with that name. */
export function namedItemFile(item: Json, accession: string, origin: string, fileName: string): ItemFile {
  assertDownloadable(item, accession, origin);
  const candidates = [item, ...(Array.isArray(item.extra_files) ? item.extra_files : [])];
  for (const candidate of candidates) {
    if (candidate === null || typeof candidate !== 'object') continue;
    const file = describe(candidate as Json, origin, '');
    if (file && file.fileName === fileName) return file;
  }
  throw new AppError('not-found', `${fileName} is not a file of ${accession} on ${hostOf(origin)}.`);
}
