import { describe, expect, it } from 'vitest';
import {
  APP_ENTRY_URL,
  cspHeader,
  devRendererOrigin,
  isAllowedExternalUrl,
  isAllowedRequest,
  isPermissionAllowed,
  isTrustedOrigin,
  isTrustedSender,
  windowOptions,
} from '../../src-main/electron/security.ts';

const DEV = 'http://localhost:5173';

describe('windowOptions', () => {
  it('isolates the page: context isolation, sandbox, no Node, web security on', () => {
    const options = windowOptions('/app/out/preload/preload.cjs');
    expect(options.webPreferences).toMatchObject({
      preload: '/app/out/preload/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
    });
    expect(options.show).toBe(false);
    expect(options.icon).toBeUndefined();
    expect(windowOptions('/p.cjs', '/icons/512x512.png').icon).toBe('/icons/512x512.png');
  });
});

describe('cspHeader', () => {
  it('allows only the app itself in production', () => {
    const csp = cspHeader();
    const directives = new Map(csp.split('; ').map((part) => [part.split(' ')[0], part.split(' ').slice(1)]));
    expect(directives.get('default-src')).toEqual(["'none'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('connect-src')).toEqual(["'self'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    expect(directives.get('base-uri')).toEqual(["'none'"]);
    expect(csp).not.toContain('unsafe');
    expect(csp).not.toMatch(/https?:|\*/);
  });

  it('lets the Vite dev server in only when a dev origin is given', () => {
    const csp = cspHeader(DEV);
    expect(csp).toContain(`script-src 'self' ${DEV} 'unsafe-inline'`);
    expect(csp).toContain(`connect-src 'self' ${DEV} ws://localhost:5173`);
  });
});

describe('devRendererOrigin', () => {
  it('takes a loopback http dev server in an unpackaged app only', () => {
    expect(devRendererOrigin({ ELECTRON_RENDERER_URL: 'http://localhost:5173/' }, false)).toBe(DEV);
    expect(devRendererOrigin({ ELECTRON_RENDERER_URL: 'http://localhost:5173/' }, true)).toBeUndefined();
    expect(devRendererOrigin({ ELECTRON_RENDERER_URL: 'https://evil.example/' }, false)).toBeUndefined();
    expect(devRendererOrigin({ ELECTRON_RENDERER_URL: 'http://10.0.0.5:5173/' }, false)).toBeUndefined();
    expect(devRendererOrigin({}, false)).toBeUndefined();
  });
});

describe('trusted senders', () => {
  it('trusts the top frame of the app origin only', () => {
    expect(isTrustedSender({ url: APP_ENTRY_URL, isTopFrame: true })).toBe(true);
    expect(isTrustedSender({ url: 'app://4dn-downloader/deep/page.html#x', isTopFrame: true })).toBe(true);
    expect(isTrustedSender({ url: APP_ENTRY_URL, isTopFrame: false })).toBe(false);
    expect(isTrustedSender(null)).toBe(false);
    expect(isTrustedSender(undefined)).toBe(false);
  });

  it.each([
    'app://4dn-downloader.evil.com/index.html',
    'app://other/index.html',
    'app://4dn-downloader:8080/index.html',
    'file:///app/out/renderer/index.html',
    'https://data.4dnucleome.org/',
    'http://localhost:5173/',
    'about:blank',
    '',
    'not a url',
  ])('refuses %s', (url) => {
    expect(isTrustedOrigin(url)).toBe(false);
  });

  it('trusts the dev server only when it is the dev origin', () => {
    expect(isTrustedOrigin('http://localhost:5173/index.html', DEV)).toBe(true);
    expect(isTrustedOrigin('http://localhost:5174/index.html', DEV)).toBe(false);
  });
});

describe('isAllowedExternalUrl', () => {
  it.each([
    'https://data.4dnucleome.org/files-processed/4DNFIXXXXXXX/',
    'https://ga4gh.github.io/data-repository-service-schemas/',
  ])('opens %s', (url) => {
    expect(isAllowedExternalUrl(url)).toBe(true);
  });

  it.each([
    'http://data.4dnucleome.org/',
    'https://data.4dnucleome.org.evil.com/',
    'https://evil.com/?data.4dnucleome.org',
    'https://user:pw@data.4dnucleome.org/',
    'https://data.4dnucleome.org:8443/',
    'https://sub.data.4dnucleome.org/',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'smb://data.4dnucleome.org/share',
    'drs://data.4dnucleome.org/4DNFIXXXXXXX',
  ])('refuses %s', (url) => {
    expect(isAllowedExternalUrl(url)).toBe(false);
  });
});

describe('isAllowedRequest', () => {
  it('lets the app load its own files and inline data, nothing remote', () => {
    expect(isAllowedRequest('app://4dn-downloader/assets/index.js')).toBe(true);
    expect(isAllowedRequest('data:image/png;base64,AAAA')).toBe(true);
    expect(isAllowedRequest('devtools://devtools/bundled/inspector.html')).toBe(true);
    expect(isAllowedRequest('https://data.4dnucleome.org/')).toBe(false);
    expect(isAllowedRequest('http://127.0.0.1:9000/x')).toBe(false);
    expect(isAllowedRequest('file:///etc/passwd')).toBe(false);
    expect(isAllowedRequest('ws://localhost:5173/')).toBe(false);
  });

  it('lets the dev server and its socket in during development', () => {
    expect(isAllowedRequest('http://localhost:5173/src/main.tsx', DEV)).toBe(true);
    expect(isAllowedRequest('ws://localhost:5173/', DEV)).toBe(true);
    expect(isAllowedRequest('ws://localhost:9999/', DEV)).toBe(false);
  });
});

describe('isPermissionAllowed', () => {
  it('denies everything but clipboard writes from the app', () => {
    expect(isPermissionAllowed('clipboard-sanitized-write', APP_ENTRY_URL)).toBe(true);
    expect(isPermissionAllowed('clipboard-sanitized-write', 'https://evil.example/')).toBe(false);
    for (const permission of [
      'media',
      'geolocation',
      'notifications',
      'openExternal',
      'clipboard-read',
      'hid',
    ]) {
      expect(isPermissionAllowed(permission, APP_ENTRY_URL)).toBe(false);
    }
  });
});
