import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importsOf } from '../support/imports.ts';

/**
 * The layer rule from docs/architecture.md ("Layers"), checked on every import in the tree:
 * src-shared is pure (no node:, no DOM, no electron), src-main/core never imports electron,
 * src-renderer never imports src-main, nothing below the adapters imports an adapter, product code never
 * imports test code, and the sample portal (sample-portal/) stands on src-shared alone; of the product, only an
 * adapter (the web host's demo) may start it.
 */
const root = resolve(import.meta.dirname, '../..');

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...sourceFiles(full));
    else if (/\.(ts|tsx|mts|cts)$/.test(name)) out.push(full);
  }
  return out;
}

const NODE_BUILTINS = new Set([
  'fs',
  'path',
  'os',
  'crypto',
  'http',
  'https',
  'net',
  'stream',
  'url',
  'util',
  'child_process',
  'events',
  'zlib',
  'buffer',
  'tls',
  'dns',
  'worker_threads',
  'readline',
  'process',
  'timers',
  'assert',
]);
const DOM_GLOBALS = /\b(?:window|document|navigator|localStorage|sessionStorage|HTMLElement)\s*[.[(]/;

/** The shipped code: everything the bundles are built from. */
const PRODUCT = /^src-(main|shared|renderer)\//;

interface Violation {
  file: string;
  spec: string;
  rule: string;
}

function violationsFor(file: string, source: string): Violation[] {
  const rel = relative(root, file).split('\\').join('/');
  const out: Violation[] = [];
  for (const spec of importsOf(source)) {
    const target = spec.startsWith('.')
      ? relative(root, resolve(dirname(file), spec))
          .split('\\')
          .join('/')
      : spec;
    const isElectron = spec === 'electron' || spec.startsWith('electron/');
    if ((rel.startsWith('src-shared/') || rel.startsWith('src-main/core/')) && isElectron) {
      out.push({ file: rel, spec, rule: 'core and shared never import electron' });
    }
    if (rel.startsWith('src-shared/')) {
      if (spec.startsWith('node:') || NODE_BUILTINS.has(spec.split('/')[0] as string)) {
        out.push({ file: rel, spec, rule: 'src-shared imports no node: modules' });
      }
      if (target.startsWith('src-main/') || target.startsWith('src-renderer/')) {
        out.push({ file: rel, spec, rule: 'src-shared imports nothing above it' });
      }
    }
    if (
      rel.startsWith('src-renderer/') &&
      (target.startsWith('src-main/') || spec.startsWith('node:') || isElectron)
    ) {
      out.push({ file: rel, spec, rule: 'src-renderer talks to the rest only through the contract' });
    }
    if (rel.startsWith('src-main/core/') && /^src-main\/(electron|web|cli)\//.test(target)) {
      out.push({ file: rel, spec, rule: 'core never imports an adapter' });
    }
    if (PRODUCT.test(rel) && target.startsWith('test/')) {
      out.push({ file: rel, spec, rule: 'product code never imports test code' });
    }
    if (rel.startsWith('sample-portal/') && /^(src-main|src-renderer|test)\//.test(target)) {
      out.push({ file: rel, spec, rule: 'the sample portal imports only src-shared' });
    }
    if (/^(src-shared|src-main\/core|src-renderer)\//.test(rel) && target.startsWith('sample-portal/')) {
      out.push({ file: rel, spec, rule: 'only an adapter (the demo) imports the sample portal' });
    }
  }
  if (rel.startsWith('src-shared/') && DOM_GLOBALS.test(source.replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, ''))) {
    out.push({ file: rel, spec: '(DOM global)', rule: 'src-shared uses no DOM' });
  }
  return out;
}

describe('layer rule', () => {
  it('finds imports in every syntax it claims to', () => {
    const sample = [
      `import { a } from 'electron';`,
      `import type { B } from "node:fs";`,
      `export * from './x.ts';`,
      `const m = await import('../src-main/core/y.ts');`,
      `const k = require('keytar');`,
      `import './side-effect.css';`,
    ].join('\n');
    expect(importsOf(sample)).toEqual(
      expect.arrayContaining([
        'electron',
        'node:fs',
        './x.ts',
        '../src-main/core/y.ts',
        'keytar',
        './side-effect.css',
      ]),
    );
  });

  it('flags each kind of wrong arrow', () => {
    const at = (p: string) => join(root, p);
    expect(violationsFor(at('src-shared/a.ts'), `import fs from 'node:fs';`)).toHaveLength(1);
    expect(violationsFor(at('src-shared/a.ts'), `import { app } from 'electron';`)).toHaveLength(1);
    expect(violationsFor(at('src-shared/a.ts'), `const w = window.innerWidth;`)).toHaveLength(1);
    expect(violationsFor(at('src-main/core/a.ts'), `import { app } from 'electron';`)).toHaveLength(1);
    expect(violationsFor(at('src-main/core/a.ts'), `import { x } from '../electron/main.ts';`)).toHaveLength(
      1,
    );
    expect(
      violationsFor(at('src-renderer/a.ts'), `import { x } from '../src-main/core/router.ts';`),
    ).toHaveLength(1);
    expect(violationsFor(at('src-main/electron/a.ts'), `import { app } from 'electron';`)).toHaveLength(0);
    for (const file of ['src-main/web/a.ts', 'src-main/core/a.ts', 'src-shared/a.ts', 'src-renderer/a.tsx']) {
      const depth = '../'.repeat(file.split('/').length - 1);
      expect(violationsFor(at(file), `import { h } from '${depth}test/support/x.ts';`), file).toHaveLength(1);
      // A computed path is no way round it either: the rule sees the dynamic import's literal.
      expect(violationsFor(at(file), `await import('${depth}test/portal/server.ts');`), file).toHaveLength(1);
    }
    expect(
      violationsFor(at('sample-portal/a.ts'), `import { x } from '../src-main/core/y.ts';`),
    ).toHaveLength(1);
    expect(violationsFor(at('sample-portal/a.ts'), `import { x } from '../test/support/y.ts';`)).toHaveLength(
      1,
    );
    expect(violationsFor(at('sample-portal/a.ts'), `import { x } from '../src-shared/y.ts';`)).toHaveLength(
      0,
    );
    expect(
      violationsFor(at('src-main/core/a.ts'), `import { x } from '../../sample-portal/server.ts';`),
    ).toHaveLength(1);
    expect(violationsFor(at('src-main/web/a.ts'), `import('../../sample-portal/server.ts');`)).toHaveLength(
      0,
    );
  });

  it('holds across the whole tree', () => {
    const files = ['src-shared', 'src-main', 'src-renderer', 'sample-portal'].flatMap((dir) =>
      sourceFiles(join(root, dir)),
    );
    expect(files.length).toBeGreaterThan(5);
    const violations = files.flatMap((file) => violationsFor(file, readFileSync(file, 'utf8')));
    expect(violations).toEqual([]);
  });
});
