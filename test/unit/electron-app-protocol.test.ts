import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  contentTypeFor,
  createAppRequestHandler,
  resolveAppFile,
} from '../../src-main/electron/app-protocol.ts';
import { cspHeader } from '../../src-main/electron/security.ts';

const root = mkdtempSync(join(tmpdir(), 'app-protocol-'));
const renderer = join(root, 'renderer');
mkdirSync(join(renderer, 'assets'), { recursive: true });
writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>4DN Downloader</title>');
writeFileSync(join(renderer, 'assets', 'index-abc.js'), 'console.log(1)');
writeFileSync(join(root, 'secret.txt'), 'outside the renderer');
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('resolveAppFile', () => {
  it('maps app:// paths into the renderer folder', () => {
    expect(resolveAppFile('app://4dn-downloader/', renderer)).toBe(join(renderer, 'index.html'));
    expect(resolveAppFile('app://4dn-downloader/index.html', renderer)).toBe(join(renderer, 'index.html'));
    expect(resolveAppFile('app://4dn-downloader/assets/index-abc.js?v=1#x', renderer)).toBe(
      join(renderer, 'assets', 'index-abc.js'),
    );
  });

  it.each([
    'app://4dn-downloader/../secret.txt',
    'app://4dn-downloader/%2e%2e/secret.txt',
    'app://4dn-downloader/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
    'app://4dn-downloader/..%5csecret.txt',
    'app://4dn-downloader/index.html%00.png',
    'app://4dn-downloader/%E0%A4%A',
    'app://other-host/index.html',
    'file:///etc/passwd',
    'https://4dn-downloader/index.html',
    'garbage',
  ])('refuses %s', (url) => {
    const file = resolveAppFile(url, renderer);
    expect(file === null || file.startsWith(`${renderer}/`)).toBe(true);
    expect(file).not.toBe(join(root, 'secret.txt'));
  });

  it('refuses every escape outright, not just by accident', () => {
    expect(resolveAppFile('app://4dn-downloader/assets/%2e%2e%2f%2e%2e%2fsecret.txt', renderer)).toBeNull();
    expect(resolveAppFile('app://4dn-downloader/..%5csecret.txt', renderer)).toBeNull();
    expect(resolveAppFile('app://4dn-downloader/index.html%00.png', renderer)).toBeNull();
    expect(resolveAppFile('app://other-host/index.html', renderer)).toBeNull();
  });
});

describe('the app:// handler', () => {
  const handle = createAppRequestHandler(renderer);

  it('serves a file with its type, the CSP and nosniff', async () => {
    const response = await handle(new Request('app://4dn-downloader/index.html'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toBe(cspHeader());
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await response.text()).toContain('<title>4DN Downloader</title>');
  });

  it('serves scripts as JavaScript', async () => {
    const response = await handle(new Request('app://4dn-downloader/assets/index-abc.js'));
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await response.text()).toBe('console.log(1)');
  });

  it('answers 404 for missing files, escapes and other methods', async () => {
    expect((await handle(new Request('app://4dn-downloader/nope.js'))).status).toBe(404);
    expect((await handle(new Request('app://4dn-downloader/%2e%2e/secret.txt'))).status).toBe(404);
    expect((await handle(new Request('app://4dn-downloader/assets'))).status).toBe(404);
    const post = await handle(new Request('app://4dn-downloader/index.html', { method: 'POST', body: 'x' }));
    expect(post.status).toBe(404);
  });

  it('knows the types the renderer build produces', () => {
    expect(contentTypeFor('a/b.css')).toBe('text/css; charset=utf-8');
    expect(contentTypeFor('x.SVG')).toBe('image/svg+xml');
    expect(contentTypeFor('x.woff2')).toBe('font/woff2');
    expect(contentTypeFor('x.unknown')).toBe('application/octet-stream');
  });
});
