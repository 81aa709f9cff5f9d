import { existsSync } from 'node:fs';
import { connect, type NetConnectOpts } from 'node:net';
import { join } from 'node:path';

/**
 * Checks that the D-Bus session bus answers at all before keytar is asked anything.
 *
 * libsecret connects to the bus inside a libuv worker thread, and when the socket accepts but never answers
 * (a stale bus, a wedged daemon) that thread blocks for good: no timeout of ours can free it, and Node cannot
 * even exit while it runs. So the handshake is tried here first, in JavaScript, where it can be abandoned.
 * Resolves to a reason when the bus is silent, or undefined when it answered or cannot be probed (keytar
 * then reports connection errors itself, quickly).
 */
export async function probeSessionBus(
  env: NodeJS.ProcessEnv = process.env,
  timeoutMs = 2000,
): Promise<string | undefined> {
  const target = busTarget(env);
  if (!target) return undefined;
  return new Promise((resolve) => {
    const socket = connect(target.options);
    const finish = (reason: string | undefined) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(reason);
    };
    const timer = setTimeout(
      () => finish(`the D-Bus session bus at ${target.label} did not answer within ${timeoutMs} ms`),
      timeoutMs,
    );
    // The credentials byte, then a bare AUTH: any bus answers it at once (with REJECTED and its mechanisms).
    socket.on('connect', () => socket.write('\0AUTH\r\n'));
    socket.on('data', () => finish(undefined));
    socket.on('error', () => finish(undefined));
    socket.on('close', () => finish(undefined));
  });
}

function busTarget(env: NodeJS.ProcessEnv): { options: NetConnectOpts; label: string } | undefined {
  const address = env.DBUS_SESSION_BUS_ADDRESS;
  if (!address) {
    // GLib's default when the variable is unset: the per-user bus socket, if there is one.
    const runtime = env.XDG_RUNTIME_DIR;
    const path = runtime ? join(runtime, 'bus') : undefined;
    return path && existsSync(path) ? { options: { path }, label: path } : undefined;
  }
  for (const entry of address.split(';')) {
    const colon = entry.indexOf(':');
    const transport = entry.slice(0, colon);
    const params = new Map(
      entry
        .slice(colon + 1)
        .split(',')
        .map((pair) => {
          const eq = pair.indexOf('=');
          return [pair.slice(0, eq), unescapeValue(pair.slice(eq + 1))] as const;
        }),
    );
    const path = params.get('path');
    const abstract = params.get('abstract');
    if (transport === 'unix' && path) return { options: { path }, label: path };
    if (transport === 'unix' && abstract)
      return { options: { path: `\0${abstract}` }, label: `@${abstract}` };
    const host = params.get('host');
    const port = Number(params.get('port'));
    if (transport === 'tcp' && host && port > 0) return { options: { host, port }, label: `${host}:${port}` };
  }
  return undefined;
}

/** D-Bus addresses escape bytes as %XX. */
function unescapeValue(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
