import type { AppError } from '../../../../src-shared/domain/errors.ts';
import { formatBytes, formatSeconds } from '../../../../src-shared/format.ts';
import type { VerificationPlan } from '../hashing/checksum.ts';

/** The plain-words account of a recovery, shown on the job: "Link expired: got a fresh one and resumed at 1.2 GiB". */
export function recoveryNote(
  error: AppError,
  action: 'resume' | 'restart',
  offset: number,
  delayMs: number,
): string {
  const at = offset > 0 ? `resumed at ${formatBytes(offset)}` : 'started again';
  const waited = delayMs >= 1000 ? `waited ${formatSeconds(delayMs)} and ` : '';
  const status = (error as { status?: unknown }).status;
  if (action === 'restart') return 'Storage did not honour the byte range: started the file over';
  switch (error.code) {
    case 'url-expired':
      return `Link expired: got a fresh one and ${at}`;
    case 'forbidden':
      return `Storage refused the link: got a fresh one and ${at}`;
    case 'stalled':
      return `Connection stalled: ${waited}reconnected and ${at}`;
    case 'server-error':
      return `Server busy${typeof status === 'number' ? ` (HTTP ${status})` : ''}: ${waited}${at}`;
    default:
      return `Connection dropped: ${waited}${at}`;
  }
}

/** What a finished download's note says about its check. */
export function completionNote(plan: VerificationPlan, previous: string | undefined): string | undefined {
  if (plan.kind === 'unverifiable') return `Saved, but not verifiable: ${plan.reason}.`;
  if (plan.kind === 'none') return 'Saved unverified: the server gave no checksum.';
  return previous;
}
