#!/usr/bin/env node
// The `4dn-dl` command: runs the CLI bundle that `npm run build` writes to out/main/cli.js.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const bundle = new URL('../out/main/cli.js', import.meta.url);
if (!existsSync(fileURLToPath(bundle))) {
  process.stderr.write('4dn-dl is not built yet: run `npm run build` in the 4DN Downloader folder first.\n');
  process.exit(2);
}
const [major] = process.versions.node.split('.').map(Number);
if (major < 22) {
  process.stderr.write(`4dn-dl needs Node.js 22 or later (this is ${process.version}).\n`);
  process.exit(2);
}
await import(bundle.href);
