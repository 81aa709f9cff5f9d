import { resolve } from 'node:path';
import { writeFileAtomic } from '../core/store/atomic-file.ts';
import { UsageError } from './exit-codes.ts';
import type { Shard } from './shard-spec.ts';
import type { Summary } from './summary.ts';

/** What `get --summary FILE` writes: the `--json` summary, and where and as which shard it ran (for `report`). */
export interface SummaryFile extends Summary {
  outDir: string;
  shard?: Shard;
  finishedAt: string;
}

/** `--summary 'summary-%K.json'`: %K is the shard number, %N the number of shards, %% a percent sign. */
export function summaryPath(template: string, shard: Shard | undefined, cwd: string): string {
  const needsShard = /%[KN]/.test(template.replaceAll('%%', ''));
  if (needsShard && !shard) {
    throw new UsageError('--summary uses %K or %N, the shard number, but no --shard was given.');
  }
  const path = template.replace(/%([KN%])/g, (_, letter: string) =>
    letter === '%' ? '%' : String(letter === 'K' ? shard?.index : shard?.count),
  );
  if (path.trim() === '') throw new UsageError('--summary needs a file name.');
  return resolve(cwd, path);
}

/** Written whole or not at all, so `report` never reads half a summary from a shard killed while writing. */
export async function writeSummaryFile(
  path: string,
  summary: Summary,
  context: { outDir: string; shard: Shard | undefined },
): Promise<void> {
  const file: SummaryFile = {
    ...summary,
    outDir: context.outDir,
    ...(context.shard ? { shard: context.shard } : {}),
    finishedAt: new Date().toISOString(),
  };
  await writeFileAtomic(path, `${JSON.stringify(file, null, 2)}\n`, 0o644);
}
