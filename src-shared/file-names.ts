import type { DrsObject } from './domain/drs.ts';

/**
 * How downloads are named, where both the engine (which fixes the name) and the UI (which shows it before the
 * download) need the same answer.
 */

/** The last path segment of a URL when it looks like a file name (has an extension): `<ACC>.<ext>` on S3. */
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

/**
 * The name a DRS object will most likely be saved under, before any download: the basename of its https access
 * URL, as the engine takes the storage URL's (the portal's objects point at `<ACC>.<ext>` on S3, while `name` is
 * the submitter's original file name). Undefined when the object does not tell (an access id, or the portal's
 * bare `@@download`): the engine then learns the name from the response.
 */
export function expectedFileName(object: DrsObject): string | undefined {
  for (const method of object.accessMethods) {
    if (method.type !== 'https' || !method.accessUrl) continue;
    const name = nameFromUrl(method.accessUrl.url);
    if (name) return name;
  }
  return undefined;
}
