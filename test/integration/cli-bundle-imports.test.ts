import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * What every `4dn-dl` run loads before it does anything: the CLI bundle's static imports, followed through the
 * build's chunks (`npm run build` writes out/main before the tests). The web host is for `serve` alone: its
 * node:http ESM face loads undici at import, and with ws that was about 60 ms of a one-file `get`'s 0.35 s.
 * zod is bundled (tree-shaken) rather than loaded from node_modules, where it is some hundred ES modules with
 * every locale: 85 ms of wall and 0.1 s of CPU at each start.
 */
const cli = resolve(import.meta.dirname, '../../out/main/cli.js');

/** Specifiers of `import ... from "x"` and `import "x"` statements (not `import()`), as the bundler writes them. */
function staticImports(source: string): string[] {
  return [...source.matchAll(/^import\s+(?:[^'"]*?\s+from\s+)?["']([^"']+)["'];?$/gm)].map(
    (m) => m[1] as string,
  );
}

function closure(entry: string): { files: string[]; modules: Set<string> } {
  const files: string[] = [];
  const modules = new Set<string>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.shift() as string;
    if (files.includes(file)) continue;
    files.push(file);
    for (const spec of staticImports(readFileSync(file, 'utf8'))) {
      if (spec.startsWith('.')) queue.push(join(dirname(file), spec));
      else modules.add(spec);
    }
  }
  return { files, modules };
}

describe('the CLI bundle at start', () => {
  it('loads neither the web host nor node:http, ws or undici until `serve` asks', () => {
    expect(existsSync(cli), 'run `npm run build` first').toBe(true);
    const { files, modules } = closure(cli);
    // It does load the core (the chunk with the engine), so the walk is real.
    expect(files.some((file) => /chunks\/services-/.test(file))).toBe(true);
    expect(modules.has('node:fs/promises')).toBe(true);
    for (const name of ['node:http', 'http', 'node:https', 'ws', 'undici'])
      expect(modules.has(name), name).toBe(false);
  });

  it('carries zod in the bundle instead of loading it from node_modules', () => {
    const { modules } = closure(cli);
    expect([...modules].filter((name) => name === 'zod' || name.startsWith('zod/'))).toEqual([]);
  });
});
