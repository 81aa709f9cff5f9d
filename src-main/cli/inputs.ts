import { readFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import type { Rejected } from '../../src-shared/domain/ids.ts';
import type { Services } from '../core/services.ts';
import { call } from './call.ts';
import { UsageError } from './exit-codes.ts';
import type { CliIo } from './io.ts';

export interface QueuedInputs {
  added: number;
  /** Jobs the queue had already for these files (a run killed before it could clear its finished ones). */
  alreadyQueuedIds: string[];
  /** Rejected lines, labelled with where they came from. */
  rejected: Array<Rejected & { source: string }>;
}

/**
 * Puts the command line's ids and every `-i FILE` on the queue through `queue:add`, the same parsing the app
 * uses (plain lists, the portal's metadata TSV, CSV/TSV, JSON); bad lines come back with their line numbers.
 */
export async function queueInputs(
  services: Services,
  io: CliIo,
  options: { ids: string[]; files: string[]; destDir: string; profile?: string | undefined },
): Promise<QueuedInputs> {
  const result: QueuedInputs = { added: 0, alreadyQueuedIds: [], rejected: [] };
  const profile = options.profile === undefined ? {} : { profile: options.profile };
  const take = (
    source: string,
    answer: { added: number; alreadyQueuedIds: string[]; rejected: Rejected[] },
  ) => {
    result.added += answer.added;
    result.alreadyQueuedIds.push(...answer.alreadyQueuedIds);
    result.rejected.push(...answer.rejected.map((r) => ({ ...r, source })));
  };
  if (options.ids.length > 0) {
    take(
      'argument',
      await call(services, 'queue:add', { items: options.ids, destDir: options.destDir, ...profile }),
    );
  }
  for (const file of options.files) {
    const { path, text } = await readInputFile(io, file);
    take(
      basename(path),
      await call(services, 'queue:add', {
        text,
        fileName: basename(path),
        destDir: options.destDir,
        ...profile,
      }),
    );
  }
  return result;
}

/** An -i file's text, or a usage error naming the path; the plain and the sharded get read inputs alike. */
export async function readInputFile(io: CliIo, file: string): Promise<{ path: string; text: string }> {
  const path = resolve(io.cwd, file);
  try {
    return { path, text: await readFile(path, 'utf8') };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`Cannot read ${path}${code ? ` (${code})` : ''}: check the -i path.`);
  }
}
