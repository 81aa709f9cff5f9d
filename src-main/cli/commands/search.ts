import type { SearchFilter } from '../../../src-shared/domain/portal.ts';
import { formatBytes } from '../../../src-shared/format.ts';
import { commonOptions, credentialOptions, intFlag, parseCommandArgs } from '../args.ts';
import { call } from '../call.ts';
import { openServices } from '../context.ts';
import { EXIT, UsageError } from '../exit-codes.ts';
import { type CliIo, printJson } from '../io.ts';

export const searchHelp = `4dn-dl search [QUERY] [--type T]... [--filter field=value]... [--limit N] [--json]
  Searches the portal's files. --filter field!=value excludes; repeating a field ORs its values.
  Example: 4dn-dl search --type FileProcessed --filter file_format.file_format=mcool --limit 50`;

export async function searchCommand(argv: string[], io: CliIo, version: string): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    ...commonOptions,
    ...credentialOptions,
    type: { type: 'string', multiple: true },
    filter: { type: 'string', multiple: true },
    limit: { type: 'string' },
    from: { type: 'string' },
    sort: { type: 'string' },
  });
  if (values.help) {
    io.stdout.write(`${searchHelp}\n`);
    return EXIT.ok;
  }
  const filters = (values.filter ?? []).map(parseFilter);
  const limit = intFlag(values.limit, 'limit', 1, 1000) ?? 25;
  const from = intFlag(values.from, 'from', 0, 100_000);
  const services = await openServices(io, values, version, () => ({ withoutQueue: true }));
  try {
    const page = await call(services, 'portal:search', {
      ...(positionals.length ? { query: positionals.join(' ') } : {}),
      types: values.type?.length ? values.type : ['File'],
      filters,
      limit,
      ...(from !== undefined ? { from } : {}),
      ...(values.sort ? { sort: values.sort } : {}),
      ...(values.profile !== undefined ? { profile: values.profile } : {}),
    });
    if (values.json) {
      printJson(io, page);
      return EXIT.ok;
    }
    if (page.items.length === 0) {
      io.stdout.write('No files found.\n');
      return EXIT.ok;
    }
    for (const file of page.items) {
      const size = file.fileSize === undefined ? '?' : formatBytes(file.fileSize);
      io.stdout.write(
        `${file.accession}  ${(file.fileFormat ?? '').padEnd(10)} ${size.padStart(10)}  ${(file.status ?? '').padEnd(10)} ${file.displayTitle}\n`,
      );
    }
    io.stdout.write(`${page.items.length} of ${page.total} file(s).\n`);
    return EXIT.ok;
  } finally {
    await services.close();
  }
}

function parseFilter(text: string): SearchFilter {
  const match = /^([^=!]+)(!?)=(.*)$/s.exec(text);
  if (!match) throw new UsageError(`--filter takes field=value or field!=value, not "${text.slice(0, 80)}".`);
  const [, field, bang, value] = match as unknown as [string, string, string, string];
  return { field: field.trim(), value, ...(bang ? { negate: true } : {}) };
}
