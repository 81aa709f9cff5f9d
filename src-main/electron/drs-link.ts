import { isAbsolute, resolve } from 'node:path';

/**
 * drs:// links and list files handed to the app by the OS: a link clicked in a browser (macOS sends
 * open-url; Windows and Linux start the app, or a second instance, with the link in argv), or a file
 * opened with the app. The pure parts are tested; main.ts only wires them to app events.
 */
export const DRS_SCHEME = 'drs';
const MAX_LINK = 2048;
const DRS_LINK = /^drs:\/\/([a-z0-9.-]+(?::\d+)?\/[^\s/?#][^\s?#]*|[a-z0-9._-]+:[^\s/?#]+)$/i;

/** drs:// URIs among command-line arguments, normalised (scheme lower-case, no trailing slash), deduplicated. */
export function extractDrsLinks(argv: readonly string[]): string[] {
  const links: string[] = [];
  for (const raw of argv) {
    let arg = raw.trim().replace(/^(["'])(.*)\1$/, '$2');
    if (arg.length > MAX_LINK || !/^drs:/i.test(arg)) continue;
    // Browsers and Windows' protocol launcher may add a trailing slash to the whole URI.
    arg = arg.replace(/\/+$/, '');
    const match = DRS_LINK.exec(arg);
    if (!match?.[1]) continue;
    const rest = match[1];
    const slash = rest.indexOf('/');
    const link =
      slash === -1 ? `drs://${rest}` : `drs://${rest.slice(0, slash).toLowerCase()}${rest.slice(slash)}`;
    if (!links.includes(link)) links.push(link);
  }
  return links;
}

export interface LaunchRequest {
  links: string[];
  /** Absolute paths of files named on the command line (existence is checked by the caller). */
  files: string[];
}

/**
 * What a launch asks for. `defaultApp` is process.defaultApp: under `electron .` argv[1] is the app path,
 * in a packaged app everything after the executable is the user's. Switches (Chromium and test drivers
 * add some) are skipped, and so is the app's own folder wherever it appears.
 */
export function parseLaunchArgs(
  argv: readonly string[],
  options: { defaultApp: boolean; cwd: string; appPath?: string },
): LaunchRequest {
  const args = argv.slice(options.defaultApp ? 2 : 1).filter((arg) => arg !== '' && !arg.startsWith('-'));
  const links = extractDrsLinks(args);
  const appPath = options.appPath === undefined ? undefined : resolve(options.appPath);
  const files = args
    .filter((arg) => !/^[a-z][a-z0-9+.-]*:\/\//i.test(arg) && !/^drs:/i.test(arg))
    .map((arg) => (isAbsolute(arg) ? arg : resolve(options.cwd, arg)))
    .filter((path) => path !== appPath);
  return { links, files: [...new Set(files)] };
}

/** What a second instance sends the first through requestSingleInstanceLock (argv as it really was). */
export interface HandoffData {
  argv: string[];
  cwd: string;
  defaultApp: boolean;
}

export function handoffData(): HandoffData {
  return { argv: process.argv, cwd: process.cwd(), defaultApp: Boolean(process.defaultApp) };
}

/** The second instance's request: from its additionalData when well formed, else from Electron's argv. */
export function launchFromSecondInstance(
  argv: readonly string[],
  workingDirectory: string,
  additionalData: unknown,
  self: { defaultApp: boolean; appPath?: string },
): LaunchRequest {
  const data = additionalData as Partial<HandoffData> | null | undefined;
  if (
    data &&
    Array.isArray(data.argv) &&
    data.argv.every((arg) => typeof arg === 'string') &&
    typeof data.cwd === 'string'
  ) {
    return parseLaunchArgs(data.argv, { ...self, defaultApp: Boolean(data.defaultApp), cwd: data.cwd });
  }
  return parseLaunchArgs(argv, { ...self, cwd: workingDirectory });
}
