import { z } from 'zod';
import { Checksum } from '../../src-shared/domain/drs.ts';
import type { FileReport } from './summary.ts';

/** A summary file as `get --summary` writes it, read leniently: unknown fields (and error codes) are kept. */
export const SummaryFileSchema = z.object({
  ok: z.number(),
  failed: z.number(),
  outDir: z.string().optional(),
  shard: z.object({ index: z.number().int(), count: z.number().int() }).optional(),
  files: z.array(
    z.object({
      id: z.string(),
      path: z.string().nullable(),
      size: z.number().nullable(),
      checksum: Checksum.nullable(),
      status: z.enum(['verified', 'skipped', 'unverified', 'failed']),
      error: z.object({ code: z.string(), message: z.string() }).optional(),
    }),
  ),
});
export type ReadSummary = z.infer<typeof SummaryFileSchema>;

export interface MergedReport {
  files: FileReport[];
  totals: {
    files: number;
    ok: number;
    verified: number;
    skipped: number;
    unverified: number;
    failed: number;
    bytes: number;
  };
  /** The ids to fetch again: failed or unverified in every summary that names them. */
  failed: FileReport[];
  outDirs: string[];
  /** Shards of an array that sent no summary (e.g. 2 of 16), by array size. */
  missingShards: Array<{ index: number; count: number }>;
}

const RANK: Record<FileReport['status'], number> = { verified: 3, skipped: 2, unverified: 1, failed: 0 };

/**
 * Merges shard summaries into one result. An id reported by several summaries (a failed shard rerun, or a rerun
 * of only the failures) takes its best outcome, and among equals the later summary: so the last run's reason shows.
 */
export function mergeSummaries(summaries: readonly ReadSummary[]): MergedReport {
  const byId = new Map<string, FileReport>();
  for (const summary of summaries) {
    for (const file of summary.files) {
      const earlier = byId.get(file.id);
      if (earlier && RANK[earlier.status] > RANK[file.status]) continue;
      byId.set(file.id, file as FileReport);
    }
  }
  const files = [...byId.values()];
  const count = (status: FileReport['status']) => files.filter((f) => f.status === status).length;
  const failed = files.filter((f) => f.status === 'failed' || f.status === 'unverified');
  const ok = files.length - failed.length;
  return {
    files,
    totals: {
      files: files.length,
      ok,
      verified: count('verified'),
      skipped: count('skipped'),
      unverified: count('unverified'),
      failed: count('failed'),
      bytes: files.reduce((sum, f) => sum + (f.status === 'failed' ? 0 : (f.size ?? 0)), 0),
    },
    failed,
    outDirs: [...new Set(summaries.flatMap((s) => (s.outDir ? [s.outDir] : [])))],
    ...shardCoverage(summaries),
  };
}

function shardCoverage(summaries: readonly ReadSummary[]) {
  const seen = new Map<number, Set<number>>();
  for (const { shard } of summaries) {
    if (!shard) continue;
    const indices = seen.get(shard.count) ?? new Set<number>();
    indices.add(shard.index);
    seen.set(shard.count, indices);
  }
  const missingShards: MergedReport['missingShards'] = [];
  for (const [count, indices] of seen) {
    for (let index = 1; index <= count; index++) {
      if (!indices.has(index)) missingShards.push({ index, count });
    }
  }
  return { missingShards };
}
