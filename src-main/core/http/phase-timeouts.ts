import type { Socket } from 'node:net';

/** Bounds on one exchange's phases, in milliseconds (each optional). */
export interface Timeouts {
  /** DNS lookup of a new connection. */
  lookup?: number;
  /** TCP connect of a new connection. */
  connect?: number;
  /** TLS handshake of a new connection. */
  secureConnect?: number;
  /** The socket idle, at any point. */
  socket?: number;
  /** From the request sent to the answer's headers. */
  response?: number;
  /** The whole exchange, body included. */
  request?: number;
}

export function timedOut(phase: string, ms: number): Error {
  return Object.assign(new Error(`Timeout awaiting '${phase}' for ${ms}ms`), { code: 'ETIMEDOUT' });
}

/**
 * The phase clocks of one exchange: a phase that overruns calls `fail` with ETIMEDOUT. `request` runs from the
 * start to `stop`; a new socket goes through lookup (not for an IP), connect and, for TLS, the handshake; then
 * `response` runs until `answered`; `socket` bounds every silence on the socket meanwhile.
 */
export class PhaseTimeouts {
  private readonly timeouts: Timeouts;
  private readonly fail: (error: Error) => void;
  private readonly timers = new Set<NodeJS.Timeout>();
  private socket: Socket | undefined;
  private waiting: NodeJS.Timeout | undefined;
  private readonly onIdle: () => void;

  constructor(timeouts: Timeouts, fail: (error: Error) => void) {
    this.timeouts = timeouts;
    this.fail = fail;
    this.onIdle = () => this.fail(timedOut('socket', this.timeouts.socket ?? 0));
    this.arm('request');
  }

  /** The exchange's socket: `fresh` when it is still connecting (the connection phases apply). */
  watch(socket: Socket, fresh: boolean, secure: boolean): void {
    this.socket = socket;
    if (this.timeouts.socket !== undefined) {
      socket.setTimeout(this.timeouts.socket);
      socket.on('timeout', this.onIdle);
    }
    if (!fresh) {
      this.waiting = this.arm('response');
      return;
    }
    let phase = socket.connecting ? this.arm('lookup') : undefined;
    const connected = () => {
      this.disarm(phase);
      this.waiting = this.arm('response');
    };
    socket.once('lookup', () => {
      this.disarm(phase);
      phase = this.arm('connect');
    });
    socket.once(secure ? 'secureConnect' : 'connect', connected);
    if (secure) {
      socket.once('connect', () => {
        this.disarm(phase);
        phase = this.arm('secureConnect');
      });
    }
  }

  /** The answer's head came. */
  answered(): void {
    this.disarm(this.waiting);
  }

  /** The exchange is over, one way or another. */
  stop(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    if (this.socket && this.timeouts.socket !== undefined) {
      this.socket.setTimeout(0);
      this.socket.off('timeout', this.onIdle);
    }
  }

  private arm(phase: Exclude<keyof Timeouts, 'socket'>): NodeJS.Timeout | undefined {
    const ms = this.timeouts[phase];
    if (ms === undefined) return undefined;
    const timer = setTimeout(() => this.fail(timedOut(phase, ms)), ms);
    this.timers.add(timer);
    return timer;
  }

  private disarm(timer: NodeJS.Timeout | undefined): void {
    if (timer === undefined) return;
    clearTimeout(timer);
    this.timers.delete(timer);
  }
}
