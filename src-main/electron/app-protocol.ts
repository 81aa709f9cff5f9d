import { readFile } from 'node:fs/promises';
import { join, normalize, sep } from 'node:path';
import type { CustomScheme } from 'electron';
import { contentTypeFor } from '../core/content-types.ts';
import { APP_HOST, APP_SCHEME, cspHeader } from './security.ts';

export { contentTypeFor };

/**
 * The app:// scheme that serves the built renderer. A privileged standard scheme gives the pages a real
 * origin (so 'self' in the CSP means the app) without file:// and its extra powers.
 */
export const appScheme: CustomScheme = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
};

/** The file under `root` an app:// URL names, or null for any other host or a path that leaves `root`. */
export function resolveAppFile(url: string, root: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== APP_HOST) return null;
  let path: string;
  try {
    path = decodeURIComponent(parsed.pathname);
  } catch {
    return null;
  }
  if (path.includes('\0') || path.includes('\\')) return null;
  if (path === '/' || path === '') path = '/index.html';
  const base = normalize(root);
  const file = normalize(join(base, path));
  return file.startsWith(base.endsWith(sep) ? base : base + sep) ? file : null;
}

/** The protocol handler: the file with its type and the CSP header, or a plain 404. */
export function createAppRequestHandler(
  root: string,
  devOrigin?: string,
): (request: Request) => Promise<Response> {
  const csp = cspHeader(devOrigin);
  return async (request) => {
    const file =
      request.method === 'GET' || request.method === 'HEAD' ? resolveAppFile(request.url, root) : null;
    const notFound = () =>
      new Response('Not found', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } });
    if (!file) return notFound();
    try {
      const body = await readFile(file);
      return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), {
        status: 200,
        headers: {
          'content-type': contentTypeFor(file),
          'content-security-policy': csp,
          'x-content-type-options': 'nosniff',
          'cache-control': 'no-cache',
        },
      });
    } catch {
      return notFound();
    }
  };
}
