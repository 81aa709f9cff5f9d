import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { toErrorInfo } from '../../../src-shared/domain/errors.ts';
import type { ManifestItem } from '../../../src-shared/domain/ids.ts';
import { parseManifest } from '../../../src-shared/manifest/manifest.ts';
import { pathInside, sanitizeFileName } from '../../core/downloads/disk/naming.ts';
import { createHasher, planVerification } from '../../core/downloads/hashing/checksum.ts';
import type { Services } from '../../core/services.ts';
import { commonOptions, credentialOptions, parseCommandArgs } from '../args.ts';
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
  try {
    const files: FileReport[] = [];
    for (const item of items) {
      const report = await verifyOne(services, dir, item, values.profile);
      files.push(report);
      if (!values.json) io.stderr.write(`${describeReport(report)}\n`);
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

/** Hashes DIR/<name> with the strongest checksum the server gives; a missing or different file is a failure. */
async function verifyOne(
  services: Services,
  dir: string,
  item: ManifestItem,
  profile: string | undefined,
): Promise<FileReport> {
  const base = { id: item.input, path: null, size: null, checksum: null };
  try {
    const source = (await services.clients.forProfile(profile)).downloads;
    const target = await source.target(item.id);
    const path = pathInside(dir, sanitizeFileName(target.fileName));
    const plan = planVerification(target.checksums);
    const size = await stat(path).then(
      (s) => s.size,
      () => undefined,
    );
    const known = {
      id: item.input,
      path,
      size: size ?? null,
      checksum: plan.kind === 'none' ? null : plan.checksum,
    };
    if (size === undefined) {
      return {
        ...known,
        status: 'failed',
        error: { code: 'not-found', message: `Not in ${dir}: download it first.` },
      };
    }
    if (target.size !== undefined && target.size !== size) {
      const message = `Size ${size} bytes, expected ${target.size}: the file is incomplete or a different file.`;
      return { ...known, status: 'failed', error: { code: 'checksum-mismatch', message } };
    }
    if (plan.kind !== 'hash') {
      const message =
        plan.kind === 'none' ? 'The server gives no checksum for it.' : `Cannot check: ${plan.reason}.`;
      return { ...known, status: 'unverified', error: { code: 'unverifiable', message } };
    }
    const actual = await hashFile(path, plan.algorithm);
    if (actual !== plan.expected) {
      const message = `${plan.checksum.type} is ${actual}, expected ${plan.expected}: download it again.`;
      return { ...known, status: 'failed', error: { code: 'checksum-mismatch', message } };
    }
    return { ...known, status: 'verified' };
  } catch (error) {
    return { ...base, status: 'failed', error: toErrorInfo(error) };
  }
}

async function hashFile(path: string, algorithm: Parameters<typeof createHasher>[0]): Promise<string> {
  const hash = createHasher(algorithm);
  for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024 }))
    hash.update(chunk as Buffer);
  return hash.digest('hex');
}
