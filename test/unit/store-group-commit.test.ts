import { expect, it, vi } from 'vitest';
import { GroupCommit } from '../../src-main/core/store/group-commit.ts';

/** A step that waits until released, counting its runs. */
function gatedStep() {
  const releases: Array<(error?: Error) => void> = [];
  let runs = 0;
  const step = () => {
    runs++;
    return new Promise<void>((resolve, reject) => {
      releases.push((error) => (error ? reject(error) : resolve()));
    });
  };
  return { step, runs: () => runs, release: (error?: Error) => releases.shift()?.(error) };
}

it('callers arriving while a run is under way share one next run', async () => {
  const gate = gatedStep();
  const commit = new GroupCommit(gate.step);
  const first = commit.next();
  const later = Array.from({ length: 7 }, () => commit.next());
  expect(gate.runs()).toBe(1);
  expect(new Set(later).size).toBe(1);
  gate.release();
  await first;
  await vi.waitFor(() => expect(gate.runs()).toBe(2));
  gate.release();
  await Promise.all(later);
  expect(gate.runs()).toBe(2);
  expect(commit.idle).toBe(true);
});

it('a failed run fails its callers only; the waiting run still starts', async () => {
  const gate = gatedStep();
  const commit = new GroupCommit(gate.step);
  const first = commit.next();
  const second = commit.next();
  gate.release(new Error('disk full'));
  await expect(first).rejects.toThrow('disk full');
  await vi.waitFor(() => expect(gate.runs()).toBe(2));
  gate.release();
  await expect(second).resolves.toBeUndefined();
  await commit.settled();
  expect(commit.idle).toBe(true);
});
