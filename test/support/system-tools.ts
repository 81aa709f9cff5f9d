import { accessSync, constants } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';

/**
 * The system tools tests run, each with the Debian package that provides it (all listed in
 * scripts/system-packages.txt). A missing tool fails the test with the package to install, never with a
 * puzzling "expected null to match object".
 */
export const TOOL_PACKAGES: Record<string, string> = {
  chromium: 'chromium',
  'gnome-keyring-daemon': 'gnome-keyring',
  'dbus-run-session': 'dbus',
  'dbus-launch': 'dbus-x11',
  'secret-tool': 'libsecret-tools',
  'xvfb-run': 'xvfb',
  xauth: 'xauth',
  curl: 'curl',
  aria2c: 'aria2',
  ps: 'procps',
  '/usr/bin/time': 'time',
};

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The tools (names on PATH, or absolute paths) that cannot be run here. */
export function missingTools(tools: readonly string[], path = process.env.PATH ?? ''): string[] {
  const dirs = path.split(delimiter).filter(Boolean);
  return tools.filter((tool) =>
    isAbsolute(tool) ? !executable(tool) : !dirs.some((dir) => executable(join(dir, tool))),
  );
}

/** "missing secret-tool (Debian package libsecret-tools): ...", or undefined when every tool is there. */
export function missingToolsMessage(tools: readonly string[], path?: string): string | undefined {
  const missing = missingTools(tools, path);
  if (missing.length === 0) return undefined;
  const named = missing.map((tool) => `${tool} (Debian package ${TOOL_PACKAGES[tool] ?? 'unknown'})`);
  const packages = [...new Set(missing.map((tool) => TOOL_PACKAGES[tool] ?? tool))].join(' ');
  return (
    `missing ${named.join(', ')}: run \`sudo apt-get install ${packages}\`, or ` +
    '`sudo scripts/install-system-packages.sh` for everything the tests need'
  );
}

/** Throws the message above when a tool is missing: for the start of a test that needs them. */
export function requireTools(tools: readonly string[]): void {
  const message = missingToolsMessage(tools);
  if (message) throw new Error(`This test needs system tools: ${message}.`);
}
