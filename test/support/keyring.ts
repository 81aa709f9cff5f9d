import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { missingTools, missingToolsMessage, requireTools } from './system-tools.ts';

/**
 * Runs a node script against a private Secret Service: a fresh D-Bus session (dbus-run-session) with
 * gnome-keyring unlocked by a password on stdin, in a temporary HOME / XDG folders, so a test never touches
 * the user's keyring and never meets a keyring locked by an earlier run.
 */

export interface ScriptResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface KeyringRunOptions {
  env?: Record<string, string>;
  /** Reuse a HOME (the caller removes it), e.g. to open the same keyring twice; a fresh one by default. */
  home?: string;
  /** The keyring's password; a different one on a second run leaves the collection locked. */
  password?: string;
  timeoutMs?: number;
}

/** secret-tool too: the tests read items back as another Secret Service client would. */
const REQUIRED_TOOLS = ['dbus-run-session', 'gnome-keyring-daemon', 'secret-tool'];
const root = resolve(import.meta.dirname, '../..');
/** Node 24 from the project, as the app's core runs (it runs .ts files directly by type stripping). */
export const projectNode = existsSync(join(root, 'node_modules/.bin/node'))
  ? join(root, 'node_modules/.bin/node')
  : process.execPath;

/** The tools that are missing from PATH; empty when keyring tests can run. */
export function missingKeyringTools(): string[] {
  return missingTools(REQUIRED_TOOLS);
}

export function keyringToolsAvailable(): boolean {
  return process.platform === 'linux' && missingKeyringTools().length === 0;
}

/**
 * Whether keyring tests should be skipped, and why. Under CI=true nothing is skipped: a missing tool makes
 * the tests fail, so a green run means they ran.
 */
export function keyringSkipReason(): string | undefined {
  if (process.env.CI === 'true' || keyringToolsAvailable()) return undefined;
  if (process.platform !== 'linux') return 'the Secret Service keychain test runs on Linux only';
  return missingToolsMessage(REQUIRED_TOOLS);
}

export async function runWithKeyring(
  scriptPath: string,
  args: string[] = [],
  options: KeyringRunOptions = {},
): Promise<ScriptResult> {
  requireTools(REQUIRED_TOOLS);
  const home = options.home ?? (await mkdtemp(join(tmpdir(), 'keyring-')));
  try {
    const runtime = join(home, 'run');
    await mkdir(runtime, { recursive: true });
    await chmod(runtime, 0o700); // XDG_RUNTIME_DIR must be private, or gnome-keyring refuses it
    const env: Record<string, string> = {
      ...isolatedEnv(),
      HOME: home,
      XDG_DATA_HOME: join(home, 'data'),
      XDG_CONFIG_HOME: join(home, 'config'),
      XDG_CACHE_HOME: join(home, 'cache'),
      XDG_RUNTIME_DIR: runtime,
      KEYRING_PASSWORD: options.password ?? 'test-keyring-password',
      ...options.env,
    };
    const unlockThenRun =
      'printf "%s" "$KEYRING_PASSWORD" | gnome-keyring-daemon --unlock --components=secrets >/dev/null; exec "$@"';
    return await runProcess(
      'dbus-run-session',
      ['--', 'sh', '-c', unlockThenRun, 'sh', projectNode, scriptPath, ...args],
      env,
      options.timeoutMs,
    );
  } finally {
    if (options.home === undefined) await rm(home, { recursive: true, force: true });
  }
}

/** Runs a script with the project's node and no session bus of the caller's (tests add their own). */
export function runNodeScript(
  scriptPath: string,
  args: string[] = [],
  env: Record<string, string> = {},
  timeoutMs?: number,
): Promise<ScriptResult> {
  return runProcess(projectNode, [scriptPath, ...args], { ...isolatedEnv(), ...env }, timeoutMs);
}

/** The caller's environment minus anything that would lead to the real desktop keyring. */
function isolatedEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value === undefined) continue;
    if (/^(DBUS_|XDG_|GNOME_KEYRING|DISPLAY$|WAYLAND_DISPLAY$|SSH_AUTH_SOCK$)/.test(name)) continue;
    env[name] = value;
  }
  return env;
}

function runProcess(
  command: string,
  args: string[],
  env: Record<string, string>,
  timeoutMs = 30_000,
): Promise<ScriptResult> {
  return new Promise((resolvePromise, reject) => {
    // Its own process group, so a hung run is stopped whole (bus, daemon and script).
    const child = spawn(command, args, { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => {
      stderr += `\n[killed after ${timeoutMs} ms]`;
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr });
    });
  });
}
