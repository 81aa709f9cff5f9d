import { resolve } from 'node:path';
import { webMain } from './command.ts';

// Built to out/main/web.js and run from source as src-main/web/main.ts: both sit two folders below the root.
await webMain(process.argv.slice(2), resolve(import.meta.dirname, '..', '..'));
