import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { formatBytes } from '../../../src-shared/format.ts';
import { writeFileAtomic } from '../../core/store/atomic-file.ts';
import { commonOptions, parseCommandArgs } from '../args.ts';
import { EXIT, UsageError } from '../exit-codes.ts';
import { type CliIo, printJson } from '../io.ts';
import { type MergedReport, mergeSummaries, type ReadSummary, SummaryFileSchema } from '../report-merge.ts';

export const reportHelp = `4dn-dl report FILE... [--failed-ids FILE] [--json]
  Merges the summaries of a sharded run (get --summary 'summary-%K.json'): totals, each failure with its reason,
  and the failed ids written to a list (default failed-ids.txt next to the first summary) with the one command
  that fetches only those again.`;

export async function reportCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    ...commonOptions,
    'failed-ids': { type: 'string' },
  });
  if (values.help) {
    io.stdout.write(`${reportHelp}\n`);
    return EXIT.ok;
  }
  if (positionals.length === 0) {
    throw new UsageError('Name the summary files to merge, e.g. 4dn-dl report summary-*.json');
  }
  const paths = positionals.map((file) => resolve(io.cwd, file));
  const summaries: ReadSummary[] = [];
  for (const path of paths) summaries.push(await readSummary(path));
  const merged = mergeSummaries(summaries);
  const firstPath = paths[0] ?? io.cwd;
  const failedIdsPath = resolve(io.cwd, values['failed-ids'] ?? join(dirname(firstPath), 'failed-ids.txt'));
  const rerun = merged.failed.length > 0 ? rerunCommand(failedIdsPath, merged.outDirs) : undefined;
  if (merged.failed.length > 0) {
    await writeFileAtomic(failedIdsPath, `${merged.failed.map((f) => f.id).join('\n')}\n`, 0o644);
  }
  if (values.json) {
    printJson(io, {
      ...merged.totals,
      failures: merged.failed.map(({ id, status, error }) => ({ id, status, error })),
      missingShards: merged.missingShards,
      ...(rerun ? { failedIds: failedIdsPath, rerun } : {}),
    });
  } else {
    io.stdout.write(describe(merged, summaries.length, failedIdsPath, rerun));
  }
  return merged.failed.length === 0 && merged.missingShards.length === 0 ? EXIT.ok : EXIT.failed;
}

async function readSummary(path: string): Promise<ReadSummary> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`Cannot read ${path}${code ? ` (${code})` : ''}: check the path.`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new UsageError(`${path} is not JSON: give the files that 4dn-dl get --summary wrote.`);
  }
  const parsed = SummaryFileSchema.safeParse(data);
  if (!parsed.success) {
    throw new UsageError(
      `${path} is not a 4dn-dl get summary (${parsed.error.issues[0]?.message ?? 'wrong shape'}).`,
    );
  }
  return parsed.data;
}

function describe(
  merged: MergedReport,
  summaries: number,
  failedIdsPath: string,
  rerun: string | undefined,
): string {
  const t = merged.totals;
  const lines = [
    `${summaries} summar${summaries === 1 ? 'y' : 'ies'}: ${t.files} file(s), ${t.ok} verified or already present (${t.verified} downloaded and verified, ${t.skipped} already there), ${t.failed} failed, ${t.unverified} not verifiable; ${formatBytes(t.bytes)} on disk.`,
  ];
  for (const { index, count } of merged.missingShards) {
    lines.push(`! shard ${index} of ${count} sent no summary: run it again (or check its job's log).`);
  }
  for (const file of merged.failed) {
    lines.push(`✗ ${file.id}  ${file.error ? `${file.error.message} (${file.error.code})` : file.status}`);
  }
  if (rerun) {
    lines.push(`Failed ids written to ${failedIdsPath}. To fetch only those again:`, `  ${rerun}`);
  }
  return `${lines.join('\n')}\n`;
}

function rerunCommand(failedIdsPath: string, outDirs: string[]): string {
  const out = outDirs.length === 1 ? ` -o ${shellQuote(outDirs[0] ?? '.')}` : ' -o DIR';
  return `4dn-dl get -i ${shellQuote(failedIdsPath)}${out}`;
}

/** Safe to paste into a POSIX shell: bare when plain, else single-quoted. */
export function shellQuote(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`;
}
