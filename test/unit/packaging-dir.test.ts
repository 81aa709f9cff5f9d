import { execFile } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importsOf } from '../support/imports.ts';

/**
 * A real electron-builder run (Linux "dir" target) over the built app, with a stand-in Electron binary:
 * the real one cannot be downloaded here, and all this needs of it is the fuse wire. What comes out is
 * the app.asar and fuse settings a user would get.
 */
const root = resolve(import.meta.dirname, '../..');
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
// Electron's own defaults: RunAsNode on, cookie encryption off, NODE_OPTIONS on, inspect on, asar
// integrity off, only-asar off, browser V8 snapshot off, file:// privileges on.
const DEFAULT_WIRE = '10110001';
const FUSES = [
  'runAsNode',
  'enableCookieEncryption',
  'enableNodeOptionsEnvironmentVariable',
  'enableNodeCliInspectArguments',
  'enableEmbeddedAsarIntegrityValidation',
  'onlyLoadAppFromAsar',
  'loadBrowserProcessSpecificV8Snapshot',
  'grantFileProtocolExtraPrivileges',
];

const work = mkdtempSync(join(tmpdir(), 'packaging-dir-'));
const appDir = join(work, 'out', 'linux-unpacked');
afterAll(() => rmSync(work, { recursive: true, force: true }));

function fakeElectronDist(): string {
  const dist = join(work, 'electron-dist');
  mkdirSync(join(dist, 'resources'), { recursive: true });
  const binary = Buffer.concat([
    Buffer.from('stand-in for the electron binary\0'),
    Buffer.from(SENTINEL),
    Buffer.from([1, DEFAULT_WIRE.length]),
    Buffer.from(DEFAULT_WIRE),
    Buffer.from('\0end'),
  ]);
  writeFileSync(join(dist, 'electron'), binary, { mode: 0o755 });
  writeFileSync(join(dist, 'version'), '45.5.0');
  writeFileSync(join(dist, 'LICENSE'), 'MIT');
  return dist;
}

function fuseWire(binary: Buffer): Record<string, string> {
  const at = binary.indexOf(SENTINEL) + SENTINEL.length;
  const length = binary[at + 1] as number;
  const wire = binary.toString('latin1', at + 2, at + 2 + length);
  return Object.fromEntries(FUSES.map((name, index) => [name, wire[index] as string]));
}

/** app.asar's file list, from its JSON header (a Chromium pickle: sizes, then the JSON string). */
function asarFiles(path: string): Map<string, { unpacked?: boolean }> {
  const data = readFileSync(path);
  const jsonLength = data.readUInt32LE(12);
  const header = JSON.parse(data.toString('utf8', 16, 16 + jsonLength));
  const files = new Map<string, { unpacked?: boolean }>();
  const walk = (node: { files?: Record<string, unknown> }, prefix: string) => {
    for (const [name, child] of Object.entries(node.files ?? {})) {
      const entry = child as { files?: Record<string, unknown>; unpacked?: boolean };
      if (entry.files) walk(entry, `${prefix}${name}/`);
      else files.set(`${prefix}${name}`, entry);
    }
  };
  walk(header, '');
  return files;
}

function withoutVitest(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('VITEST')));
}

let files = new Map<string, { unpacked?: boolean }>();

beforeAll(async () => {
  if (!existsSync(join(root, 'out/main/main.js'))) {
    throw new Error('out/ is missing: run `npm run build` before the tests');
  }
  try {
    await promisify(execFile)(
      process.execPath,
      [
        join(root, 'node_modules/electron-builder/cli.js'),
        '--linux',
        'dir',
        '--x64',
        '--publish',
        'never',
        `--config.electronDist=${fakeElectronDist()}`,
        '--config.electronVersion=45.5.0',
        `--config.directories.output=${join(work, 'out')}`,
      ],
      // electron-builder goes quiet when it sees VITEST; its log is what explains a failure.
      { cwd: root, env: withoutVitest(), timeout: 170_000, maxBuffer: 16 * 1024 * 1024 },
    );
  } catch (error) {
    const { stdout, stderr, code, signal } = error as {
      stdout?: string;
      stderr?: string;
      code?: unknown;
      signal?: unknown;
    };
    throw new Error(
      `electron-builder failed (exit ${String(code)}, signal ${String(signal)}):\n${stdout ?? ''}\n${stderr ?? ''}`,
    );
  }
  files = asarFiles(join(appDir, 'resources', 'app.asar'));
}, 180_000);

describe('a packaged build (electron-builder, Linux dir target)', () => {
  it('flips the fuses in the Electron binary', () => {
    expect(fuseWire(readFileSync(join(appDir, '4dn-downloader')))).toEqual({
      runAsNode: '0',
      enableCookieEncryption: '1',
      enableNodeOptionsEnvironmentVariable: '0',
      enableNodeCliInspectArguments: '0',
      enableEmbeddedAsarIntegrityValidation: '1',
      onlyLoadAppFromAsar: '1',
      loadBrowserProcessSpecificV8Snapshot: '0',
      grantFileProtocolExtraPrivileges: '0',
    });
  });

  it('puts the built app and its runtime assets in app.asar, and nothing else of the tree', () => {
    for (const file of [
      'package.json',
      'out/main/main.js',
      'out/preload/preload.cjs',
      'out/renderer/index.html',
    ]) {
      expect(files.has(file), file).toBe(true);
    }
    expect(files.has('assets/icons/512x512.png')).toBe(true);
    expect(files.has('assets/tray/trayTemplate@2x.png')).toBe(true);
    const own = [...files.keys()].filter((file) => !file.startsWith('node_modules/'));
    expect(own.filter((file) => !/^(out|assets)\/|^package\.json$/.test(file))).toEqual([]);
    expect(own.filter((file) => /\.(ts|tsx|map|svg)$/.test(file))).toEqual([]);
  });

  it('ships every package the main process bundle imports', () => {
    const bundles = readdirSync(join(root, 'out/main'), { recursive: true })
      .map(String)
      .filter((file) => file.endsWith('.js'));
    const bare = new Set<string>();
    for (const bundle of bundles) {
      for (const spec of importsOf(readFileSync(join(root, 'out/main', bundle), 'utf8'))) {
        if (spec.startsWith('.') || spec.startsWith('node:') || spec === 'electron') continue;
        bare.add(
          spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : (spec.split('/')[0] as string),
        );
      }
    }
    expect(bare.size).toBeGreaterThan(0);
    for (const name of bare) expect(files.has(`node_modules/${name}/package.json`), name).toBe(true);
  });

  it('keeps keytar outside the archive with its prebuilt addons, without a locally compiled one', () => {
    const keytar = join(appDir, 'resources/app.asar.unpacked/node_modules/@github/keytar');
    expect(existsSync(join(keytar, 'prebuilds/linux-x64/keytar.node'))).toBe(true);
    expect(existsSync(join(keytar, 'build'))).toBe(false);
    expect(files.get('node_modules/@github/keytar/prebuilds/linux-x64/keytar.node')?.unpacked).toBe(true);
  });

  it('writes desktopName into the packaged package.json (Linux window and .desktop association)', () => {
    const data = readFileSync(join(appDir, 'resources', 'app.asar'));
    const pkg = data.indexOf('"desktopName"');
    expect(pkg).toBeGreaterThan(0);
    expect(data.toString('utf8', pkg, pkg + 40)).toContain('4dn-downloader.desktop');
  });
});
