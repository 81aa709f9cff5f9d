import type { DrsObject } from '../../../src-shared/domain/drs.ts';
import type { ErrorInfo } from '../../../src-shared/domain/errors.ts';
import { accessLines } from '../../../src-shared/drs-access.ts';
import { formatBytes } from '../../../src-shared/format.ts';
import type { InvokeOutput } from '../../../src-shared/ipc/contract.ts';
import { treeLines } from '../../../src-shared/path-tree.ts';
import { commonOptions, credentialOptions, parseCommandArgs } from '../args.ts';
import { call } from '../call.ts';
import { openServices } from '../context.ts';
import { EXIT, exitCodeFor, UsageError } from '../exit-codes.ts';
import { type CliIo, printJson } from '../io.ts';

export const infoHelp = `4dn-dl info ID... [--json] [--keypairs FILE] [--profile NAME] [--server URL]
  Shows each object's DRS metadata (name, size, checksums, times, access methods) and what \`get\` would save:
  its file name, size and checksum (for an extra file's @@download URL, the extra file's own).
  ID: an accession, drs://host/id, a DRS object URL, a portal file URL or an @@download URL.`;

export async function infoCommand(argv: string[], io: CliIo, version: string): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, { ...commonOptions, ...credentialOptions });
  if (values.help) {
    io.stdout.write(`${infoHelp}\n`);
    return EXIT.ok;
  }
  if (positionals.length === 0) throw new UsageError('Name at least one object: 4dn-dl info 4DNFIXXXXXXX');
  const services = await openServices(io, values, version, () => ({ withoutQueue: true }));
  try {
    const lookup = {
      ids: positionals,
      ...(values.profile !== undefined ? { profile: values.profile } : {}),
    };
    const { results } = await call(services, 'objects:resolve', lookup);
    const downloads = (await call(services, 'files:preview', lookup)).results;
    if (values.json) {
      printJson(io, {
        objects: results.map((r, i) => {
          const download = downloads[i];
          const saved = download?.ok ? { download: download.file } : { downloadError: download?.error };
          return r.ok ? { input: r.input, ok: true, object: r.object, ...saved } : r;
        }),
      });
    } else {
      for (const [i, result] of results.entries()) {
        io.stdout.write(
          result.ok
            ? describeObject(result.object, downloads[i])
            : describeFailure(result.input, result.error),
        );
      }
    }
    const failures = results.filter((r) => !r.ok).map((r) => (r.ok ? 'internal' : r.error.code));
    if (failures.length === 0) return EXIT.ok;
    if (failures.includes('auth-rejected')) return EXIT.authRejected;
    return failures.length === results.length ? Math.max(...failures.map(exitCodeFor)) : EXIT.failed;
  } finally {
    await services.close();
  }
}

type Download = InvokeOutput<'files:preview'>['results'][number];

function describeObject(object: DrsObject, download: Download | undefined): string {
  const lines = [
    `${object.name ?? object.id}`,
    `  id          ${object.id}`,
    `  DRS URI     ${object.selfUri}`,
    `  size        ${object.size > 0 ? `${formatBytes(object.size)} (${object.size} bytes)` : 'unknown'}`,
    ...object.checksums.map((c) => `  ${c.type.padEnd(11)} ${c.value}`),
  ];
  if (object.checksums.length === 0)
    lines.push('  checksum    none: a download can only be marked unverified');
  if (object.createdTime) lines.push(`  created     ${object.createdTime}`);
  if (object.updatedTime) lines.push(`  updated     ${object.updatedTime}`);
  if (object.description) lines.push(`  description ${object.description}`);
  for (const line of accessLines(object.accessMethods))
    lines.push(`  access      ${line.type}: ${line.where} (${line.note})`);
  if (object.contents) lines.push(`  bundle      ${object.contents.length} item(s)`);
  if (download?.ok) {
    const { name, size, checksums } = download.file;
    const facts = [
      size !== undefined ? formatBytes(size) : 'size unknown',
      ...checksums.map((c) => `${c.type} ${c.value}`),
    ];
    if (download.file.bundleFiles) {
      lines.push(`  saves as    ${download.file.bundleFiles.length} file(s):`);
      for (const line of treeLines(download.file.bundleFiles)) lines.push(`                ${line}`);
    } else lines.push(`  saves as    ${name} (${facts.join(', ')})`);
  } else if (download) {
    lines.push(`  download    ${download.error.code}: ${download.error.message}`);
  }
  return `${lines.join('\n')}\n\n`;
}

function describeFailure(input: string, error: ErrorInfo): string {
  return `${input.slice(0, 200)}\n  error       ${error.code}: ${error.message}\n\n`;
}
