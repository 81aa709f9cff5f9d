#!/usr/bin/env -S node --max-semi-space-size=1
// The `4dn-dl` command: runs the CLI bundle that `npm run build` writes to out/main/cli.js.
// The V8 flag caps the young generation (received socket buffers wait there for a scavenge): a 1 GiB download
// peaked at 191 MB RSS with node's default and 138 MB with it. V8 reads it only at startup (v8.setFlagsFromString
// from the running CLI changed nothing: 198 MB), so it rides on the shebang: still one process, so Ctrl-C,
// kill -9 and exit codes behave as before. Keep it in step with V8_FLAGS in src-main/electron/main.ts.
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
