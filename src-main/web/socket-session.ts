import type { RawData, WebSocket } from 'ws';
import { toErrorInfo } from '../../src-shared/domain/errors.ts';
import { eventNames } from '../../src-shared/ipc/contract.ts';
import { ClientFrame, type ServerFrame } from '../../src-shared/ipc/wire.ts';
import type { EventHub } from '../core/events.ts';
import type { Router } from '../core/router.ts';

/** Close code for a frame that breaks the protocol (RFC 6455 "policy violation"). */
export const POLICY_VIOLATION = 1008;

/**
 * One browser tab: invokes go to the router (concurrently, answered by id), and every core event is pushed
 * until the socket closes. Frames are never logged: profiles:add carries a secret.
 */
export function runSocketSession(socket: WebSocket, router: Router, events: EventHub): void {
  const send = (frame: ServerFrame) => {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(frame));
  };
  const unsubscribe = eventNames.map((name) =>
    events.on(name, (payload) => send({ type: 'event', name, payload })),
  );
  socket.on('close', () => {
    for (const off of unsubscribe) off();
  });
  // A socket error (e.g. a frame over maxPayload) is followed by close; nothing to report beyond that.
  socket.on('error', () => {});

  socket.on('message', (data, isBinary) => {
    const parsed = isBinary ? undefined : parseJson(data);
    if (parsed === undefined) {
      socket.close(POLICY_VIOLATION, 'Malformed frame: expected a JSON text frame');
      return;
    }
    const frame = ClientFrame.safeParse(parsed);
    if (!frame.success) {
      const id = idOf(parsed);
      if (id === null) {
        socket.close(POLICY_VIOLATION, 'Malformed frame: expected {type: "invoke", id, channel, input}');
        return;
      }
      send({
        type: 'result',
        id,
        result: { ok: false, error: { code: 'bad-input', message: 'Malformed invoke frame' } },
      });
      return;
    }
    const { id, channel, input } = frame.data;
    void router
      .call(channel, input)
      .catch((error: unknown) => ({ ok: false as const, error: toErrorInfo(error) }))
      .then((result) => send({ type: 'result', id, result }));
  });
}

function parseJson(data: RawData): unknown {
  try {
    // ws hands text frames over as one Buffer (binaryType 'nodebuffer', the default).
    const buffer = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
    return JSON.parse(buffer.toString('utf8'));
  } catch {
    return undefined;
  }
}

function idOf(value: unknown): number | null {
  if (typeof value !== 'object' || value === null || !('id' in value)) return null;
  const id = value.id;
  return typeof id === 'number' && Number.isSafeInteger(id) && id >= 0 ? id : null;
}
