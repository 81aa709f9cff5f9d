/**
 * The app's one Content-Security-Policy, for every way its pages are delivered: the desktop app's app://
 * responses, the web host's responses, and the <meta> baked into index.html at build time. Only the app's own
 * files and its own connection are allowed; nothing inline, nothing remote.
 */

/** The web host's socket: a page served from 127.0.0.1 talks to the core over it. */
export const LOOPBACK_SOCKETS = 'ws://127.0.0.1:*';

export interface CspOptions {
  /** More connect-src sources (the web host's socket). */
  connect?: readonly string[];
  /** A dev server's origin, in unpackaged desktop runs only: its scripts, its inline HMR preamble and socket. */
  devOrigin?: string | undefined;
  /** 'meta' leaves out frame-ancestors, which a <meta> cannot carry (browsers warn and ignore it). */
  delivery?: 'header' | 'meta';
}

export function contentSecurityPolicy(options: CspOptions = {}): string {
  const dev = options.devOrigin === undefined ? [] : [options.devOrigin];
  const devSocket = dev.map((origin) => origin.replace(/^http/, 'ws'));
  const devInline = dev.length > 0 ? ["'unsafe-inline'"] : [];
  const directives: string[][] = [
    ['default-src', "'none'"],
    ['script-src', "'self'", ...dev, ...devInline],
    ['style-src', "'self'", ...dev, ...devInline],
    ['img-src', "'self'", 'data:', ...dev],
    ['font-src', "'self'", 'data:', ...dev],
    ['connect-src', "'self'", ...dev, ...devSocket, ...(options.connect ?? [])],
    ['object-src', "'none'"],
    ['base-uri', "'none'"],
    ['form-action', "'none'"],
    ['frame-src', "'none'"],
    ['worker-src', "'self'"],
    ['manifest-src', "'self'"],
  ];
  if (options.delivery !== 'meta') directives.push(['frame-ancestors', "'none'"]);
  return directives.map((directive) => directive.join(' ')).join('; ');
}
