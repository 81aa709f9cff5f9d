import { AppError } from '../../../src-shared/domain/errors.ts';
import { hostOf } from '../http/credentials.ts';
import type { HttpClient } from '../http/http-client.ts';

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

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Plain http is accepted only where the server itself is plain http, or on this machine (test servers). */
export function acceptableScheme(url: string, serverUrl: string): boolean {
  try {
    const target = new URL(url);
    if (target.protocol === 'https:') return true;
    if (target.protocol !== 'http:') return false;
    return new URL(serverUrl).protocol === 'http:' || LOOPBACK.has(target.hostname);
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
  const location = response.headers.location;
  if (response.status < 300 || response.status >= 400 || typeof location !== 'string') {
    throw new AppError(
      'bad-response',
      `${hostOf(url)} answered ${response.status} without a storage redirect for ${what}: try again later.`,
    );
  }
  const storage = new URL(location, url).href;
  if (!acceptableScheme(storage, url)) {
    throw new AppError(
      'bad-response',
      `${hostOf(url)} redirected ${what} to an unsupported or insecure URL.`,
    );
  }
  return { url: storage, headers: {} };
}
