import { UsageError } from './exit-codes.ts';

/** Shard `index` (1..count) of `count`. */
export interface Shard {
  index: number;
  count: number;
}

export const MAX_SHARDS = 100_000;

type Env = Record<string, string | undefined>;

/**
 * `--shard K/N`, `--shard auto` or `--shard auto/N`. `auto` reads the job array's task index (and, where the
 * scheduler says, its size) from the environment and maps it onto 1..N however the array is numbered.
 */
export function parseShardFlag(value: string | undefined, env: Env): Shard | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  const auto = /^auto(?:\/(.*))?$/i.exec(text);
  if (auto) {
    const size = auto[1] === undefined ? undefined : whole(auto[1], '--shard auto/N: N');
    if (size !== undefined && (size < 1 || size > MAX_SHARDS))
      throw new UsageError(`--shard auto/N: N must be from 1 to ${MAX_SHARDS}, not ${size}.`);
    return shardFromScheduler(env, size);
  }
  const explicit = /^(\d+)\/(\d+)$/.exec(text);
  if (!explicit) {
    throw new UsageError(
      `--shard takes K/N (this is part K of N, e.g. 3/16), auto (from the job array's environment) or auto/N, not "${text.slice(0, 40)}".`,
    );
  }
  const index = Number(explicit[1]);
  const count = Number(explicit[2]);
  if (count < 1 || count > MAX_SHARDS)
    throw new UsageError(`--shard K/N: N must be from 1 to ${MAX_SHARDS}, not ${count}.`);
  if (index < 1 || index > count)
    throw new UsageError(`--shard K/N: K counts from 1 to N (${count}), not ${index}.`);
  return { index, count };
}

/** What one scheduler's variables say: the task's index, and the array's first index, step and size if known. */
interface ArrayTask {
  scheduler: string;
  variable: string;
  index: number;
  first?: number;
  step?: number;
  count?: number;
}

const NOT_SET = `--shard auto found no job array in the environment: none of SLURM_ARRAY_TASK_ID (Slurm), PBS_ARRAY_INDEX or PBS_ARRAYID (PBS Pro, Torque), SGE_TASK_ID (SGE/UGE), LSB_JOBINDEX (LSF) or AWS_BATCH_JOB_ARRAY_INDEX (AWS Batch) is set. Submit as an array job, or give the part yourself: --shard K/N.`;

export function shardFromScheduler(env: Env, size: number | undefined): Shard {
  const task = arrayTask(env);
  if (!task) throw new UsageError(NOT_SET);
  const where = `${task.scheduler} (${task.variable}=${task.index})`;
  if (task.count !== undefined && size !== undefined && task.count !== size) {
    throw new UsageError(
      `--shard auto/${size}: ${task.scheduler} says the array has ${task.count} tasks. Drop /${size}, or make them agree.`,
    );
  }
  const count = task.count ?? size;
  if (count === undefined) {
    throw new UsageError(
      `--shard auto: ${where} does not give the array's size: say it, e.g. --shard auto/16 for 16 tasks.`,
    );
  }
  if (count < 1 || count > MAX_SHARDS)
    throw new UsageError(`--shard auto: ${where} gives an array of ${count} tasks.`);
  if (task.first === undefined) {
    // Only the index and the size: any N consecutive indices (0..N-1, 1..N, ...) fall on 1..N one each.
    return { index: (((task.index % count) + count) % count) + 1, count };
  }
  const step = task.step ?? 1;
  const offset = task.index - task.first;
  if (step < 1 || offset < 0 || offset % step !== 0 || offset / step >= count) {
    throw new UsageError(
      `--shard auto: ${where} is not one of the array's ${count} tasks from ${task.first} in steps of ${step}.`,
    );
  }
  return { index: offset / step + 1, count };
}

function arrayTask(env: Env): ArrayTask | undefined {
  return slurm(env) ?? pbs(env) ?? sge(env) ?? lsf(env) ?? awsBatch(env);
}

function slurm(env: Env): ArrayTask | undefined {
  const index = read(env, 'SLURM_ARRAY_TASK_ID');
  if (index === undefined) return undefined;
  const min = read(env, 'SLURM_ARRAY_TASK_MIN');
  const max = read(env, 'SLURM_ARRAY_TASK_MAX');
  const step = read(env, 'SLURM_ARRAY_TASK_STEP');
  const given = read(env, 'SLURM_ARRAY_TASK_COUNT');
  const span = min !== undefined && max !== undefined ? spanCount(min, max, step ?? 1, 'Slurm') : undefined;
  if (given !== undefined && span !== undefined && given !== span) {
    throw new UsageError(
      `--shard auto: Slurm's SLURM_ARRAY_TASK_COUNT (${given}) does not match _MIN..._MAX (${min}..${max}): the array is not a plain range; use --shard K/N.`,
    );
  }
  return task('Slurm', 'SLURM_ARRAY_TASK_ID', index, min, step, given ?? span);
}

function pbs(env: Env): ArrayTask | undefined {
  for (const variable of ['PBS_ARRAY_INDEX', 'PBS_ARRAYID']) {
    const index = read(env, variable);
    if (index !== undefined) return { scheduler: 'PBS', variable, index };
  }
  return undefined;
}

function sge(env: Env): ArrayTask | undefined {
  // SGE sets SGE_TASK_ID to "undefined" in a job that is not an array.
  if (env.SGE_TASK_ID === 'undefined') return undefined;
  const index = read(env, 'SGE_TASK_ID');
  if (index === undefined) return undefined;
  const first = read(env, 'SGE_TASK_FIRST');
  const last = read(env, 'SGE_TASK_LAST');
  const step = read(env, 'SGE_TASK_STEPSIZE');
  const count =
    first !== undefined && last !== undefined ? spanCount(first, last, step ?? 1, 'SGE') : undefined;
  return task('SGE', 'SGE_TASK_ID', index, first, step, count);
}

function lsf(env: Env): ArrayTask | undefined {
  const index = read(env, 'LSB_JOBINDEX');
  // LSF sets LSB_JOBINDEX=0 in a job that is not an array; its arrays count from 1.
  if (index === undefined || index === 0) return undefined;
  const end = read(env, 'LSB_JOBINDEX_END');
  const step = read(env, 'LSB_JOBINDEX_STEP');
  const count = end !== undefined ? spanCount(1, end, step ?? 1, 'LSF') : undefined;
  return task('LSF', 'LSB_JOBINDEX', index, count === undefined ? undefined : 1, step, count);
}

function awsBatch(env: Env): ArrayTask | undefined {
  const index = read(env, 'AWS_BATCH_JOB_ARRAY_INDEX');
  // Always 0..size-1; the size is not in the environment (--shard auto/N).
  return index === undefined
    ? undefined
    : { scheduler: 'AWS Batch', variable: 'AWS_BATCH_JOB_ARRAY_INDEX', index, first: 0 };
}

function task(
  scheduler: string,
  variable: string,
  index: number,
  first: number | undefined,
  step: number | undefined,
  count: number | undefined,
): ArrayTask {
  return {
    scheduler,
    variable,
    index,
    ...(first !== undefined && count !== undefined ? { first } : {}),
    ...(step !== undefined ? { step } : {}),
    ...(count !== undefined ? { count } : {}),
  };
}

function spanCount(first: number, last: number, step: number, scheduler: string): number {
  if (last < first || step < 1) {
    throw new UsageError(
      `--shard auto: ${scheduler}'s array range ${first}..${last} (step ${step}) is empty or backwards.`,
    );
  }
  return Math.floor((last - first) / step) + 1;
}

/** A whole number from the environment; unset or empty is undefined, anything else a usage error. */
function read(env: Env, name: string): number | undefined {
  const value = env[name]?.trim();
  if (value === undefined || value === '') return undefined;
  return whole(value, name);
}

function whole(text: string, what: string): number {
  if (!/^\d{1,9}$/.test(text.trim()))
    throw new UsageError(`${what} is "${text.slice(0, 40)}", not a whole number.`);
  return Number(text.trim());
}
