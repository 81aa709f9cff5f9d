import { isAppError } from '../../../../src-shared/domain/errors.ts';
import { formatSeconds } from '../../../../src-shared/format.ts';
import type { StreamExchange } from '../../http/connection-pool.ts';
import { TransferError } from './transfer-error.ts';

/**
 * No byte for `timeoutMs` (while waiting on the network, not on the disk or the rate limit) counts as a stall:
 * the exchange is destroyed and the transfer fails with `stalled`. An abort of `signal` ends it with its reason.
 */
export class Watchdog {
  private readonly timeoutMs: number;
  private readonly signal: AbortSignal;
  private timer: NodeJS.Timeout | undefined;
  private exchange: Pick<StreamExchange, 'destroy'> | undefined;
  private stalled = false;
  // Destroyed with an error, never without: a body that merely ended would look complete when it has no length.
  private readonly onAbort = () => this.exchange?.destroy(new Error('aborted'));

  constructor(timeoutMs: number, signal: AbortSignal) {
    this.timeoutMs = timeoutMs;
    this.signal = signal;
  }

  attach(exchange: Pick<StreamExchange, 'destroy'>): void {
    this.exchange = exchange;
    this.signal.addEventListener('abort', this.onAbort, { once: true });
    if (this.signal.aborted) exchange.destroy(new Error('aborted'));
    this.resume();
  }

  pause(): void {
    clearTimeout(this.timer);
  }

  resume(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.stalled = true;
      this.exchange?.destroy(new Error('stalled'));
    }, this.timeoutMs);
  }

  stop(): void {
    clearTimeout(this.timer);
    this.signal.removeEventListener('abort', this.onAbort);
  }

  /** Runs `work`, turning a destroyed exchange into the reason it was destroyed. */
  async guard<T>(work: Promise<T>): Promise<T> {
    try {
      return await work;
    } catch (error) {
      if (this.signal.aborted) throw this.signal.reason;
      if (this.stalled) {
        throw new TransferError(
          'stalled',
          `No data for ${formatSeconds(this.timeoutMs)}: the connection stalled.`,
        );
      }
      if (isAppError(error)) throw error;
      throw new TransferError('network', `Connection dropped (${describeNetworkError(error)}).`, {
        cause: error,
      });
    }
  }
}

function describeNetworkError(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  return error instanceof Error ? error.message.slice(0, 120) : 'unknown error';
}
