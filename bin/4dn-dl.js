#!/usr/bin/env -S node --max-semi-space-size=1
// The `4dn-dl` command: runs the CLI bundle that `npm run build` writes to out/main/cli.js.
// The V8 flag caps the young generation: a 1 GiB download in one stream peaks at 108 MiB RSS with it and 117
// without (191 against 138 when node:http still gave each socket read a buffer of its own). V8 reads it only at
// startup (v8.setFlagsFromString from the running CLI changed nothing), so it rides on the shebang: still one
// process, so Ctrl-C, kill -9 and exit codes behave as before. Keep it in step with V8_FLAGS in
// src-main/electron/v8-flags.ts (test/unit/packaging-config.test.ts checks it).
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
