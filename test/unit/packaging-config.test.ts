import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, resolve } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { TRAY_ICON_DIR, WINDOW_ICON } from '../../src-main/electron/assets.ts';
import { DRS_SCHEME } from '../../src-main/electron/drs-link.ts';
import { JS_FLAGS_ARG, V8_FLAGS } from '../../src-main/electron/v8-flags.ts';
import { WEB_USAGE } from '../../src-main/web/args.ts';
import { importsOf } from '../support/imports.ts';

/**
 * electron-builder.yml, checked three ways: against the JSON schema electron-builder ships, for the
 * settings this app depends on, and by running electron-builder's own file matcher over the built app.
 */
const root = resolve(import.meta.dirname, '../..');
const require = createRequire(import.meta.url);
interface Target {
  target: string;
  arch: string[];
}
/** The parts of electron-builder.yml these tests read; the schema check covers the rest. */
interface BuilderConfig {
  appId: string;
  productName: string;
  artifactName: string;
  asar: boolean;
  asarUnpack: string[];
  npmRebuild: boolean;
  nodeGypRebuild: boolean;
  directories: { output: string; buildResources: string };
  electronFuses: Record<string, boolean>;
  protocols: { name: string; schemes: string[]; role?: string }[];
  mac: { target: Target[]; entitlements: string; entitlementsInherit: string };
  win: { target: Target[] };
  linux: { target: Target[]; executableArgs?: string[] };
  nsis: Record<string, unknown>;
  deb: { depends: string[] };
}
const config = parse(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as BuilderConfig;
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  productName: string;
  main: string;
  scripts: Record<string, string>;
};

function validator() {
  const schema = JSON.parse(readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8'));
  // The schema is draft-07 (Ajv's default); strict mode would trip over its non-standard keywords.
  return new Ajv({ strict: false, allErrors: true }).compile(schema);
}

describe('electron-builder.yml against the schema electron-builder ships', () => {
  const validate = validator();

  it('is valid', () => {
    const valid = validate(config);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('catches a misspelt key (so the check above can fail)', () => {
    expect(validate({ ...config, electronFuses: { ...config.electronFuses, runAsNod: false } })).toBe(false);
    expect(validate({ ...config, nsis: { ...config.nsis, perMachin: false } })).toBe(false);
  });
});

describe('what the app is and how it is built', () => {
  it('names the app as package.json and the data folder do', () => {
    expect(config.appId).toBe('org.4dnucleome.downloader');
    expect(config.productName).toBe('4DN Downloader');
    // Electron names the userData folder after package.json's productName; the CLI and web host share it.
    expect(pkg.productName).toBe(config.productName);
  });

  it('launches the Linux app with the same V8 young-generation cap as the CLI', () => {
    // The main process takes V8 flags only from its own command line: the desktop entry carries them.
    expect(config.linux.executableArgs).toEqual([JS_FLAGS_ARG]);
    const shebang = readFileSync(join(root, 'bin/4dn-dl.js'), 'utf8').split('\n')[0];
    expect(shebang).toBe(`#!/usr/bin/env -S node ${V8_FLAGS}`);
  });

  it('starts the web host with the same V8 young-generation cap (npm run web, npm run demo, its usage)', () => {
    // Without it a 4 GiB download peaked at 200 instead of 130 MiB RSS in the web host.
    expect(pkg.scripts.web).toBe(`npm run build && node ${V8_FLAGS} out/main/web.js`);
    expect(pkg.scripts.demo).toBe(`npm run build && node ${V8_FLAGS} out/main/web.js --demo`);
    expect(WEB_USAGE).toContain(`node ${V8_FLAGS} out/main/web.js`);
  });

  it('flips the security fuses', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('packs into asar, keeps keytar unpacked, and does not rebuild native modules', () => {
    expect(config.asar).toBe(true);
    expect(config.asarUnpack).toContain('**/node_modules/@github/keytar/**');
    expect(config.npmRebuild).toBe(false);
    expect(config.nodeGypRebuild).toBe(false);
  });

  it('has a keytar prebuild for every platform and arch it targets (nothing is compiled at packaging)', () => {
    const prebuilds = join(root, 'node_modules/@github/keytar/prebuilds');
    const wanted = [
      ...config.mac.target.flatMap((t) => t.arch.map((arch) => `darwin-${arch}`)),
      ...config.win.target.flatMap((t) => t.arch.map((arch) => `win32-${arch}`)),
      ...config.linux.target.flatMap((t) => t.arch.map((arch) => `linux-${arch}`)),
    ];
    for (const dir of new Set(wanted))
      expect(existsSync(join(prebuilds, dir, 'keytar.node')), dir).toBe(true);
  });

  it('registers the drs: scheme the app handles', () => {
    expect(config.protocols).toEqual([{ name: 'DRS object link', schemes: [DRS_SCHEME], role: 'Viewer' }]);
  });

  it('builds dmg+zip, per-user nsis, AppImage+deb, each for x64 and arm64, named by version and arch', () => {
    const targets = (platform: { target: Target[] }) =>
      platform.target.map((t) => `${t.target}:${[...t.arch].sort().join(',')}`);
    expect(targets(config.mac)).toEqual(['dmg:arm64,x64', 'zip:arm64,x64']);
    expect(targets(config.win)).toEqual(['nsis:arm64,x64']);
    expect(targets(config.linux)).toEqual(['AppImage:arm64,x64', 'deb:arm64,x64']);
    expect(config.nsis).toMatchObject({ oneClick: true, perMachine: false });
    expect(config.artifactName).toMatch(/\$\{version\}/);
    expect(config.artifactName).toMatch(/\$\{arch\}/);
    expect(config.deb.depends).toContain('libsecret-1-0');
  });

  it('signs macOS builds with the hardened runtime and entitlements that let V8 run', () => {
    expect(config.mac).toMatchObject({ hardenedRuntime: true, notarize: true });
    const plist = readFileSync(join(root, config.mac.entitlements), 'utf8');
    expect(plist).toMatch(/<key>com\.apple\.security\.cs\.allow-jit<\/key>\s*<true\/>/);
    expect(plist).not.toContain('com.apple.security.cs.disable-library-validation');
    expect(config.mac.entitlementsInherit).toBe(config.mac.entitlements);
  });
});

/** The app files electron-builder would put in app.asar (node_modules are collected separately). */
function shippedFiles(): string[] {
  const { getMainFileMatchers } = require('app-builder-lib/out/fileMatcher.js');
  const packager = {
    info: {
      projectDir: root,
      buildResourcesDir: config.directories.buildResources,
      config,
      isPrepackedAppAsar: false,
      debugLogger: { isEnabled: false },
    },
  };
  const outDir = resolve(root, config.directories.output);
  const [matcher] = getMainFileMatchers(
    root,
    '/app',
    (s: string) => s,
    config.linux,
    packager,
    outDir,
    false,
  );
  const filter = matcher.createFilter();
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (name === 'node_modules' || name === '.git') continue;
      const stat = statSync(path);
      if (!filter(path, stat)) continue;
      if (stat.isDirectory()) walk(path);
      else files.push(relative(root, path).split('\\').join('/'));
    }
  };
  walk(root);
  return files.sort();
}

describe('files: what ships, by electron-builder’s own matcher over the built app', () => {
  const built = ['out/main/main.js', 'out/preload/preload.cjs', 'out/renderer/index.html'];

  it('has a build to look at (run `npm run build` first)', () => {
    for (const file of built) {
      expect(existsSync(join(root, file)), `${file} is missing: run \`npm run build\` before the tests`).toBe(
        true,
      );
    }
  });

  const shipped = shippedFiles();

  it('ships main, preload, renderer and package.json, whose main entry is in the build', () => {
    for (const file of [...built, 'package.json']) expect(shipped).toContain(file);
    expect(shipped).toContain(pkg.main);
  });

  it('ships every built file except source maps', () => {
    const walk = (dir: string): string[] =>
      readdirSync(join(root, dir)).flatMap((name) =>
        statSync(join(root, dir, name)).isDirectory() ? walk(`${dir}/${name}`) : [`${dir}/${name}`],
      );
    for (const file of walk('out').filter((f) => !f.endsWith('.map'))) expect(shipped).toContain(file);
  });

  it('ships the runtime assets the code loads', () => {
    expect(shipped).toContain(WINDOW_ICON);
    const trayFiles = readdirSync(join(root, TRAY_ICON_DIR));
    expect(trayFiles.length).toBeGreaterThan(0);
    for (const name of trayFiles) expect(shipped).toContain(`${TRAY_ICON_DIR}/${name}`);
  });

  it('ships no sources, tests, scripts, maps, configs or build resources', () => {
    const forbidden = shipped.filter(
      (file) =>
        /^(src-[^/]+|test|scripts|bench|docs|build|dist|assets\/src|\.ci)\//.test(file) ||
        /\.(ts|tsx|map)$/.test(file) ||
        /^(tsconfig.*|electron-builder\.yml|biome\.json|vitest\.config\.ts|package-lock\.json|README\.md)$/.test(
          file,
        ),
    );
    expect(forbidden).toEqual([]);
  });

  it('ships a sandbox-ready preload that requires nothing but electron', () => {
    const preload = readFileSync(join(root, 'out/preload/preload.cjs'), 'utf8');
    expect(importsOf(preload).filter((spec) => spec !== 'electron')).toEqual([]);
    // The contract's schemas (zod) stay out: the names alone are a few kilobytes.
    expect(preload.length).toBeLessThan(16 * 1024);
  });
});
