import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { contentTypeFor } from '../core/content-types.ts';
import { SECURITY_HEADERS } from './security.ts';

export function sendText(
  res: ServerResponse,
  status: number,
  text: string,
  extra: Record<string, string> = {},
) {
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
    ...extra,
  });
  res.end(text);
}

/**
 * Maps a request path to a file inside root, or null. Decodes once, refuses NUL, dot segments and hidden
 * names, then proves the real path (symlinks followed) is still inside the real root.
 */
export async function resolveStaticPath(rootReal: string, urlPath: string): Promise<string | null> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded === '/') decoded = '/index.html';
  if (decoded.includes('\0')) return null;
  const segments = decoded.split(/[/\\]/).filter((s) => s !== '');
  if (segments.some((s) => s.startsWith('.'))) return null;
  const candidate = resolve(rootReal, ...segments);
  if (!isInside(rootReal, candidate)) return null;
  try {
    const real = await realpath(candidate);
    if (!isInside(rootReal, real)) return null;
    return (await stat(real)).isFile() ? real : null;
  } catch {
    return null;
  }
}

function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel);
}

/** GET/HEAD of the built renderer. No listings: a folder or anything missing is a plain 404. */
export async function serveStatic(rootReal: string, req: IncomingMessage, res: ServerResponse) {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    sendText(res, 405, 'Method not allowed\n', { Allow: 'GET, HEAD' });
    return;
  }
  const target = req.url ?? '';
  // Only origin-form targets ("/path?query"); an absolute URL or "*" is not for us.
  if (!target.startsWith('/')) {
    sendText(res, 400, 'Bad request\n');
    return;
  }
  const file = await resolveStaticPath(rootReal, target.split(/[?#]/, 1)[0] ?? '/');
  if (!file) {
    sendText(res, 404, 'Not found\n');
    return;
  }
  const info = await stat(file);
  const isIndex = relative(rootReal, file) === 'index.html';
  // Vite puts content-hashed names under assets/; everything else is revalidated, the page never cached.
  const isHashedAsset = relative(rootReal, file).startsWith(`assets${sep}`);
  res.writeHead(200, {
    ...SECURITY_HEADERS,
    'Content-Type': contentTypeFor(file),
    'Content-Length': info.size,
    'Cache-Control': isIndex ? 'no-store' : isHashedAsset ? 'max-age=31536000, immutable' : 'no-cache',
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  const stream = createReadStream(file);
  stream.on('error', () => res.destroy());
  stream.pipe(res);
}
