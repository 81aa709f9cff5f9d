import { basename } from 'node:path';
import { shardItems } from '../../src-shared/shard-partition.ts';
import { collectItems } from '../core/handlers/queue.ts';
import type { Services } from '../core/services.ts';
import { call } from './call.ts';
import { type QueuedInputs, readInputFile } from './inputs.ts';
import type { CliIo } from './io.ts';
import type { Shard } from './shard-spec.ts';

/**
 * `get --shard K/N`: reads the whole input (every id and -i file, parsed as queue:add parses them), removes
 * duplicates across all of it, and queues only part K of N. Every shard reads the same input, so each item lands
 * in exactly one part. The part goes through queue:add as a JSON list, which keeps the metadata TSV's size and
 * md5 hints.
 */
export async function queueShardInputs(
  services: Services,
  io: CliIo,
  options: { ids: string[]; files: string[]; destDir: string; profile?: string | undefined; shard: Shard },
): Promise<QueuedInputs & { total: number; selected: number }> {
  const rejected: QueuedInputs['rejected'] = [];
  const sources: Array<{ source: string; items: string[]; text?: string; fileName?: string }> = [];
  if (options.ids.length > 0) sources.push({ source: 'argument', items: options.ids });
  for (const file of options.files) {
    const { path, text } = await readInputFile(io, file);
    sources.push({ source: basename(path), items: [], text, fileName: basename(path) });
  }
  const byKey = new Map<string, { key: string; input: string; md5?: string; size?: number }>();
  for (const { source, items, text, fileName } of sources) {
    const collected = collectItems(items, text, fileName);
    rejected.push(...collected.rejected.map((r) => ({ ...r, source })));
    for (const item of collected.add) {
      const key = item.key ?? `input:${item.input}`;
      if (byKey.has(key)) continue;
      byKey.set(key, {
        key,
        input: item.input,
        ...(item.md5 ? { md5: item.md5 } : {}),
        ...(item.size ? { size: item.size } : {}),
      });
    }
  }
  const mine = shardItems([...byKey.values()], options.shard.index, options.shard.count);
  const result = {
    added: 0,
    alreadyQueuedIds: [] as string[],
    rejected,
    total: byKey.size,
    selected: mine.length,
  };
  if (mine.length === 0) return result;
  const answer = await call(services, 'queue:add', {
    text: JSON.stringify({ files: mine.map(({ input, md5, size }) => ({ id: input, md5, size })) }),
    fileName: 'shard.json',
    destDir: options.destDir,
    ...(options.profile === undefined ? {} : { profile: options.profile }),
  });
  rejected.push(...answer.rejected.map((r) => ({ ...r, source: 'shard' })));
  return {
    ...result,
    added: answer.added,
    alreadyQueuedIds: answer.alreadyQueuedIds,
  };
}
