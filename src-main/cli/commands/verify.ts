import { readFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import type { ManifestItem } from '../../../src-shared/domain/ids.ts';
import { parseManifest } from '../../../src-shared/manifest/manifest.ts';
import { commonOptions, credentialOptions, parseCommandArgs } from '../args.ts';
import { call } from '../call.ts';
import { openServices } from '../context.ts';
import { EXIT, UsageError } from '../exit-codes.ts';
import { type CliIo, printJson } from '../io.ts';
import { describeReport, exitCodeForSummary, type FileReport, summarise } from '../summary.ts';

export const verifyHelp = `4dn-dl verify [ID ...] [-i FILE]... -o DIR [--json]
  Re-checks files already in DIR against the checksums the server publishes (nothing is downloaded).`;

export async function verifyCommand(argv: string[], io: CliIo, version: string): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    ...commonOptions,
    ...credentialOptions,
    input: { type: 'string', short: 'i', multiple: true },
    out: { type: 'string', short: 'o' },
  });
  if (values.help) {
    io.stdout.write(`${verifyHelp}\n`);
    return EXIT.ok;
  }
  if (!values.out) throw new UsageError('Say which folder to check: -o DIR.');
  const items = await collect(io, positionals, values.input ?? []);
  if (items.length === 0) throw new UsageError('Name the files to check: ids, or -i FILE.');
  const dir = resolve(io.cwd, values.out);
  const services = await openServices(io, values, version, () => ({ withoutQueue: true }));
  const profile = values.profile === undefined ? {} : { profile: values.profile };
  try {
    const files: FileReport[] = [];
    // One id per files:verify call, so each verdict is told as soon as its file is hashed.
    for (const item of items) {
      const { results } = await call(services, 'files:verify', { ids: [item.input], dir, ...profile });
      for (const { input, ...check } of results) {
        const report: FileReport = { id: input, ...check };
        files.push(report);
        if (!values.json) io.stderr.write(`${describeReport(report)}\n`);
      }
    }
    const summary = summarise(files);
    if (values.json) printJson(io, summary);
    else io.stderr.write(`${summary.ok} of ${files.length} file(s) verified.\n`);
    return exitCodeForSummary(summary);
  } finally {
    await services.close();
  }
}

async function collect(io: CliIo, ids: string[], inputs: string[]): Promise<ManifestItem[]> {
  const results = [parseManifest(ids.join('\n'))];
  for (const input of inputs) {
    const path = resolve(io.cwd, input);
    const text = await readFile(path, 'utf8').catch(() => {
      throw new UsageError(`Cannot read ${path}: check the -i path.`);
    });
    results.push(parseManifest(text, { fileName: basename(path) }));
  }
  for (const result of results) {
    for (const r of result.rejected)
      io.stderr.write(`line ${r.line}: ${r.text.slice(0, 120)}: ${r.reason}\n`);
  }
  return results.flatMap((r) => r.items);
}
