import type { ServerResponse } from 'node:http';
import type { ContentSource } from './content.ts';

export interface BodyPlan {
  content: ContentSource;
  /** File offsets [start, end), end exclusive. */
  start: number;
  end: number;
  /** Cut the connection after this many body bytes. */
  dropAfter?: number;
  /** Stop sending after `after` body bytes, for `ms` (undefined: until the client gives up). */
  stall?: { after: number; ms: number | undefined };
  /** File offset whose byte is sent flipped. */
  flipAt?: number;
  bytesPerSec?: number;
  /** Called with each count of body bytes handed to the socket. */
  onBytes: (count: number) => void;
}

/**
 * Writes the body of a storage response, applying the faults in the plan. Headers must already be set. Pieces
 * come straight from the content's base block (no copy) except the one carrying a flipped byte.
 */
export async function streamBody(res: ServerResponse, plan: BodyPlan): Promise<void> {
  const started = Date.now();
  const slice = plan.bytesPerSec
    ? Math.max(1, Math.min(64 * 1024, Math.floor(plan.bytesPerSec / 20)))
    : Infinity;
  let sent = 0;
  let position = plan.start;
  let stalled = false;
  for (const original of plan.content.pieces(plan.start, plan.end)) {
    let piece = original;
    if (plan.flipAt !== undefined && plan.flipAt >= position && plan.flipAt < position + piece.length) {
      piece = Buffer.from(piece);
      const at = plan.flipAt - position;
      piece[at] = (piece[at] as number) ^ 0xff;
    }
    position += piece.length;
    let offset = 0;
    while (offset < piece.length) {
      if (res.destroyed) return;
      let count = Math.min(piece.length - offset, slice);
      if (plan.dropAfter !== undefined) count = Math.min(count, plan.dropAfter - sent);
      if (plan.stall && !stalled) count = Math.min(count, plan.stall.after - sent);
      const flowing = count > 0 ? res.write(piece.subarray(offset, offset + count)) : true;
      sent += count;
      offset += count;
      if (count > 0) plan.onBytes(count);
      if (plan.dropAfter !== undefined && sent >= plan.dropAfter) return cut(res);
      if (plan.stall && !stalled && sent >= plan.stall.after) {
        stalled = true;
        res.flushHeaders();
        await pause(res, plan.stall.ms);
      }
      if (plan.bytesPerSec) await pause(res, started + (sent / plan.bytesPerSec) * 1000 - Date.now());
      if (!flowing) await drained(res);
    }
  }
  if (!res.destroyed) res.end();
}

/** Ends the connection mid-body: what was written is flushed, then FIN, so the client sees a short body. */
function cut(res: ServerResponse): void {
  res.flushHeaders();
  const socket = res.socket;
  if (!socket) return;
  socket.end();
  setTimeout(() => socket.destroy(), 5000).unref();
}

/** Waits ms (or, when undefined, until the response closes); returns early if the client goes away. */
function pause(res: ServerResponse, ms: number | undefined): Promise<void> {
  if (res.destroyed || (ms !== undefined && ms <= 0)) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      if (timer) clearTimeout(timer);
      res.off('close', done);
      resolve();
    };
    const timer = ms === undefined ? undefined : setTimeout(done, ms);
    res.on('close', done);
  });
}

function drained(res: ServerResponse): Promise<void> {
  // The throttle's pause may have outlasted the backlog: 'drain' then already fired and will not come again.
  if (res.destroyed || !res.writableNeedDrain) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}
