import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src-main/cli/exit-codes.ts';
import { parseShardFlag } from '../../src-main/cli/shard-spec.ts';

const shard = (flag: string, env: Record<string, string> = {}) => parseShardFlag(flag, env);

/** Every task of an array, as the scheduler would number it, must land on 1..N exactly once. */
function tasksOf(flag: string, envs: Array<Record<string, string>>): number[] {
  return envs.map((env) => shard(flag, env)?.index ?? -1).sort((a, b) => a - b);
}
const oneToN = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe('--shard', () => {
  it('takes K/N as given', () => {
    expect(shard('3/16')).toEqual({ index: 3, count: 16 });
    expect(shard('1/1')).toEqual({ index: 1, count: 1 });
    expect(parseShardFlag(undefined, {})).toBeUndefined();
  });

  it.each([
    ['0/4', /K counts from 1 to N/],
    ['5/4', /K counts from 1 to N/],
    ['1/0', /N must be from 1/],
    ['two/4', /takes K\/N/],
    ['auto/x', /not a whole number/],
  ])('refuses %s with a reason', (flag, message) => {
    expect(() => shard(flag)).toThrow(message);
    expect(() => shard(flag)).toThrow(UsageError);
  });

  it('maps a Slurm array 0-15 onto 1..16 (TASK_COUNT or MIN/MAX)', () => {
    const envs = Array.from({ length: 16 }, (_, i) => ({
      SLURM_ARRAY_TASK_ID: String(i),
      SLURM_ARRAY_TASK_MIN: '0',
      SLURM_ARRAY_TASK_MAX: '15',
      SLURM_ARRAY_TASK_COUNT: '16',
    }));
    expect(tasksOf('auto', envs)).toEqual(oneToN(16));
    expect(
      shard('auto', { SLURM_ARRAY_TASK_ID: '7', SLURM_ARRAY_TASK_MIN: '0', SLURM_ARRAY_TASK_MAX: '15' }),
    ).toEqual({ index: 8, count: 16 });
    expect(shard('auto', { SLURM_ARRAY_TASK_ID: '16', SLURM_ARRAY_TASK_COUNT: '16' })).toEqual({
      index: 1,
      count: 16,
    });
  });

  it('follows a Slurm step (--array=1-15:2) and catches inconsistent values', () => {
    const env = { SLURM_ARRAY_TASK_MIN: '1', SLURM_ARRAY_TASK_MAX: '15', SLURM_ARRAY_TASK_STEP: '2' };
    expect(
      tasksOf(
        'auto',
        [1, 3, 5, 7, 9, 11, 13, 15].map((id) => ({ ...env, SLURM_ARRAY_TASK_ID: String(id) })),
      ),
    ).toEqual(oneToN(8));
    expect(() => shard('auto', { ...env, SLURM_ARRAY_TASK_ID: '4' })).toThrow(
      /not one of the array's 8 tasks/,
    );
    expect(() => shard('auto/4', { ...env, SLURM_ARRAY_TASK_ID: '3' })).toThrow(/says the array has 8 tasks/);
    expect(() =>
      shard('auto', {
        SLURM_ARRAY_TASK_ID: '1',
        SLURM_ARRAY_TASK_MIN: '1',
        SLURM_ARRAY_TASK_MAX: '4',
        SLURM_ARRAY_TASK_COUNT: '3',
      }),
    ).toThrow(/does not match/);
  });

  it('maps PBS (size from auto/N) whether it counts from 0 or 1', () => {
    expect(
      tasksOf(
        'auto/4',
        [0, 1, 2, 3].map((i) => ({ PBS_ARRAY_INDEX: String(i) })),
      ),
    ).toEqual(oneToN(4));
    expect(
      tasksOf(
        'auto/4',
        [1, 2, 3, 4].map((i) => ({ PBS_ARRAYID: String(i) })),
      ),
    ).toEqual(oneToN(4));
    expect(() => shard('auto', { PBS_ARRAY_INDEX: '2' })).toThrow(/--shard auto\/16/);
  });

  it('maps SGE/UGE first/last/step, and ignores a non-array job', () => {
    const env = { SGE_TASK_FIRST: '10', SGE_TASK_LAST: '40', SGE_TASK_STEPSIZE: '10' };
    expect(
      tasksOf(
        'auto',
        [10, 20, 30, 40].map((id) => ({ ...env, SGE_TASK_ID: String(id) })),
      ),
    ).toEqual(oneToN(4));
    expect(() => shard('auto', { SGE_TASK_ID: 'undefined' })).toThrow(/found no job array/);
  });

  it('maps LSF job[1-8] and AWS Batch (0-based, size from auto/N)', () => {
    expect(
      tasksOf(
        'auto',
        oneToN(8).map((i) => ({ LSB_JOBINDEX: String(i), LSB_JOBINDEX_END: '8' })),
      ),
    ).toEqual(oneToN(8));
    expect(
      tasksOf(
        'auto/5',
        [0, 1, 2, 3, 4].map((i) => ({ AWS_BATCH_JOB_ARRAY_INDEX: String(i) })),
      ),
    ).toEqual(oneToN(5));
    expect(() => shard('auto/5', { AWS_BATCH_JOB_ARRAY_INDEX: '5' })).toThrow(
      /not one of the array's 5 tasks/,
    );
    expect(() => shard('auto', { AWS_BATCH_JOB_ARRAY_INDEX: '0' })).toThrow(/does not give the array's size/);
  });

  it('says what to do when no scheduler variable is set', () => {
    expect(() => shard('auto', { LSB_JOBINDEX: '0' })).toThrow(/SLURM_ARRAY_TASK_ID.*--shard K\/N/s);
  });
});
