import { expect } from 'vitest';
import { AppError } from '../../src-shared/domain/errors.ts';

/**
 * The AppError a call fails with, for the caller to assert its code and message; the test fails if the call
 * succeeds or fails with anything else. Takes a promise, or a function that throws or returns one.
 */
export async function appErrorOf(run: Promise<unknown> | (() => unknown)): Promise<AppError> {
  let error: unknown;
  try {
    await (typeof run === 'function' ? run() : run);
  } catch (caught) {
    error = caught;
  }
  if (!(error instanceof AppError)) {
    expect.fail(`expected an AppError, got ${error === undefined ? 'success' : String(error)}`);
  }
  return error;
}
