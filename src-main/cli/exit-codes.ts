import type { ErrorCode } from '../../src-shared/domain/errors.ts';

/** The CLI's exit codes (README, and docs/architecture.md "Adapters"): 0 all verified or skipped, 1 some failed, 2 usage or input error, 3 key rejected. */
export const EXIT = { ok: 0, failed: 1, usage: 2, authRejected: 3 } as const;

export function exitCodeFor(code: ErrorCode): number {
  if (code === 'auth-rejected') return EXIT.authRejected;
  if (code === 'bad-input' || code === 'unsupported-id' || code === 'keypairs-invalid') return EXIT.usage;
  return EXIT.failed;
}

/** A usage problem: printed with the command's help hint, exit 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
