import { AppError } from '../../../src-shared/domain/errors.ts';
import { hostOf } from '../http/credentials.ts';
import type { HttpClient } from '../http/http-client.ts';
import { nextHop, redirectLocation } from '../http/redirects.ts';

/** Where bytes can be fetched: the URL and the headers that must go with it (never our credentials). */
export interface FetchTarget {
  url: string;
  headers: Record<string, string>;
}

export function isPortalDownloadUrl(url: string): boolean {
  try {
    return new URL(url).pathname.includes('/@@download');
  } catch {
    return false;
  }
}

/**
 * The portal's @@download hop, done here so credentials go to the portal only: an authenticated GET without
 * following the redirect, answering the storage URL from Location with clean headers. Asked afresh every time:
 * presigned URLs expire, so nothing caches the answer.
 */
export async function resolvePortalDownload(
  http: HttpClient,
  url: string,
  what: string,
  options: { headers?: Record<string, string>; signal?: AbortSignal } = {},
): Promise<FetchTarget> {
  const response = await http.request(url, {
    accept: '*/*',
    followRedirects: false,
    readBody: (status) => status >= 400,
    what,
    ...(options.headers ? { headers: options.headers } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  if (response.status >= 400) throw http.fail(response, what);
  const location = redirectLocation(response);
  if (location === undefined) {
    throw new AppError(
      'bad-response',
      `${hostOf(url)} answered ${response.status} without a storage redirect for ${what}: try again later.`,
    );
  }
  const storage = nextHop(new URL(url), location, new URL(url));
  if (typeof storage === 'string')
    throw new AppError('bad-response', `${hostOf(url)} redirected ${what}, which was refused: ${storage}.`);
  return { url: storage.href, headers: {} };
}
