import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeSessionBus } from '../../src-main/core/auth/session-bus-probe.ts';

/** Real sockets: one that answers the handshake as a bus does, one that never answers. */
let dir: string;
let answering: Server;
let silent: Server;
const received: string[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bus-probe-'));
  answering = createServer((socket) =>
    socket.on('data', (chunk) => {
      received.push(chunk.toString('latin1'));
      socket.write('REJECTED EXTERNAL\r\n');
    }),
  );
  silent = createServer((socket) => socket.on('data', () => {}));
  await new Promise<void>((done) => answering.listen(join(dir, 'bus'), done));
  await new Promise<void>((done) => silent.listen(join(dir, 'silent'), done));
});
afterAll(async () => {
  await new Promise((done) => answering.close(done));
  await new Promise((done) => silent.close(done));
  await rm(dir, { recursive: true, force: true });
});

describe.skipIf(process.platform === 'win32')('probeSessionBus', () => {
  it('passes a bus that answers, after sending it a bare AUTH', async () => {
    const env = { DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(dir, 'bus')},guid=0123` };
    expect(await probeSessionBus(env, 2000)).toBeUndefined();
    expect(received.at(-1)).toBe('\0AUTH\r\n');
  });

  it('names a bus that accepts and never answers', async () => {
    const path = join(dir, 'silent');
    expect(await probeSessionBus({ DBUS_SESSION_BUS_ADDRESS: `unix:path=${path}` }, 200)).toBe(
      `the D-Bus session bus at ${path} did not answer within 200 ms`,
    );
  });

  it('uses the first address it can probe, and decodes %-escapes', async () => {
    const escaped = join(dir, 'bus').replaceAll('/', '%2f');
    const env = { DBUS_SESSION_BUS_ADDRESS: `autolaunch:;unix:path=${escaped}` };
    const before = received.length;
    expect(await probeSessionBus(env, 2000)).toBeUndefined();
    expect(received.length).toBe(before + 1);
  });

  it('falls back to $XDG_RUNTIME_DIR/bus when no address is set', async () => {
    const before = received.length;
    expect(await probeSessionBus({ XDG_RUNTIME_DIR: dir }, 2000)).toBeUndefined();
    expect(received.length).toBe(before + 1);
  });

  it('leaves missing sockets and unknown transports to keytar', async () => {
    expect(
      await probeSessionBus({ DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus' }, 200),
    ).toBeUndefined();
    expect(await probeSessionBus({ DBUS_SESSION_BUS_ADDRESS: 'launchd:env=X' }, 200)).toBeUndefined();
    expect(await probeSessionBus({}, 200)).toBeUndefined();
  });
});
