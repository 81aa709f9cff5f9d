// The demo without the web.js bundle: `node scripts/demo.ts` (after `npm run build`, which builds the UI).
import { resolve } from 'node:path';
import { webMain } from '../src-main/web/command.ts';

await webMain(['--demo', ...process.argv.slice(2)], resolve(import.meta.dirname, '..'));
