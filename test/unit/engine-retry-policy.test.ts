import { describe, expect, it } from 'vitest';
import { RecoveryPolicy } from '../../src-main/core/downloads/job/retry-policy.ts';
import { storageError, TransferError } from '../../src-main/core/downloads/transfer/transfer-error.ts';
import { parseRetryAfter } from '../../src-main/core/http/retry.ts';
import { AppError } from '../../src-shared/domain/errors.ts';

describe('retry policy', () => {
  it('resumes network drops and stalls with growing, jittered backoff', () => {
    const policy = new RecoveryPolicy({ baseDelayMs: 100, maxDelayMs: 1000 }, () => 1);
    const delays = [1, 2, 3, 4, 5].map(() => {
      const decision = policy.decide(new TransferError('network', 'dropped'));
      return decision.action === 'resume' ? decision.delayMs : -1;
    });
    expect(delays).toEqual([100, 200, 400, 800, 1000]);
  });

  it("honours a server's Retry-After, capped", () => {
    const policy = new RecoveryPolicy({ maxRetryAfterMs: 5000 });
    expect(
      policy.decide(new TransferError('server-error', 'busy', { status: 503, retryAfterMs: 1000 })),
    ).toEqual({
      action: 'resume',
      delayMs: 1000,
    });
    expect(
      policy.decide(new TransferError('server-error', 'busy', { status: 429, retryAfterMs: 999_000 })),
    ).toEqual({
      action: 'resume',
      delayMs: 5000,
    });
  });

  it('fetches a fresh link at once after the first expiry', () => {
    const policy = new RecoveryPolicy();
    expect(policy.decide(new TransferError('url-expired', 'expired'))).toEqual({
      action: 'resume',
      delayMs: 0,
    });
  });

  it('gives up after maxFailures without progress, and progress resets the count', () => {
    const policy = new RecoveryPolicy({ maxFailures: 3, baseDelayMs: 1 });
    const error = new TransferError('network', 'dropped');
    expect([1, 2, 3].map(() => policy.decide(error).action)).toEqual(['resume', 'resume', 'resume']);
    expect(policy.decide(error)).toEqual({ action: 'fail', exhausted: true });
    const again = new RecoveryPolicy({ maxFailures: 3, baseDelayMs: 1 });
    for (let i = 0; i < 10; i++) {
      expect(again.decide(error).action).toBe('resume');
      again.progressed();
    }
  });

  it('restarts on untrustworthy ranges, pauses on a full disk, fails on the rest', () => {
    const policy = new RecoveryPolicy();
    expect(policy.decide(new TransferError('range-unsupported', 'x')).action).toBe('restart');
    expect(policy.decide(new AppError('disk-full', 'x')).action).toBe('pause');
    for (const code of ['not-found', 'auth-rejected', 'restricted', 'bad-response', 'path-unsafe'] as const) {
      expect(policy.decide(new AppError(code, 'x'))).toEqual({ action: 'fail', exhausted: false });
    }
    expect(policy.decide(new Error('boom'))).toEqual({ action: 'fail', exhausted: false });
    // A 403 from the portal (not storage) is not fixed by asking again.
    expect(policy.decide(new AppError('forbidden', 'x')).action).toBe('fail');
  });

  it('tries a storage 403 with a fresh link, but only twice', () => {
    const policy = new RecoveryPolicy();
    const error = new TransferError('forbidden', 'denied', { status: 403 });
    expect([1, 2, 3].map(() => policy.decide(error).action)).toEqual(['resume', 'resume', 'fail']);
  });
});

describe('storage answers', () => {
  it('maps statuses to typed errors a person can act on', () => {
    const expired = storageError(
      403,
      '<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>',
      undefined,
    );
    expect(expired.code).toBe('url-expired');
    expect(expired.message).toContain('AccessDenied: Request has expired');
    expect(storageError(403, '<Code>SignatureDoesNotMatch</Code>', undefined).code).toBe('forbidden');
    expect(storageError(404, '', undefined).code).toBe('not-found');
    expect(storageError(416, '', undefined).code).toBe('range-unsupported');
    const busy = storageError(503, '<Code>SlowDown</Code>', '1');
    expect(busy.code).toBe('server-error');
    expect(busy.retryAfterMs).toBe(1000);
    expect(storageError(429, '', undefined).code).toBe('server-error');
    expect(storageError(408, '', undefined).code).toBe('server-error');
    expect(storageError(400, '{"title":"Bad"}', undefined)).toMatchObject({
      code: 'bad-response',
      message: expect.stringContaining('Bad'),
    });
  });

  it('reads Retry-After as seconds or a date', () => {
    expect(parseRetryAfter('2')).toBe(2000);
    expect(parseRetryAfter('1.5')).toBe(1500);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 5_000)).toBe(5000);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(undefined)).toBeUndefined();
  });
});
