import { realpath } from 'node:fs/promises';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { WIRE_PATH } from '../../src-shared/ipc/wire.ts';
import type { EventHub } from '../core/events.ts';
import type { Router } from '../core/router.ts';
import { acceptedHost, newToken, originMatches, tokenMatches } from './security.ts';
import { runSocketSession } from './socket-session.ts';
import { sendText, serveStatic } from './static-files.ts';

/** Loopback only: the socket drives downloads and keys, so it must never be reachable from the network. */
export const WEB_HOST_ADDRESS = '127.0.0.1';
/** The largest frame: a 64 MiB manifest (ids:parse, queue:add) plus JSON escaping of its tabs and newlines. */
export const MAX_FRAME_BYTES = 80 * 1024 * 1024;

export interface WebHostOptions {
  router: Router;
  events: EventHub;
  /** The built renderer (index.html + assets). */
  rendererDir: string;
  /** 0 or absent: a free port chosen by the OS. */
  port?: number;
  /** Absent: 32 random bytes. */
  token?: string;
  /** Absent: MAX_FRAME_BYTES. */
  maxFrameBytes?: number;
}

export interface WebHost {
  /** http://127.0.0.1:P/?token=T: the one thing to print. */
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

/**
 * The core behind a browser tab. The page and its assets are served to anyone on this machine who names the
 * host correctly (they hold no secret, and the page cannot do anything before it has the token); the WebSocket,
 * which is what drives the core, needs the token, a loopback Host and our own Origin.
 */
export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const rootReal = await realpath(options.rendererDir);
  const token = options.token ?? newToken();
  let port = 0;

  const server = createServer((req, res) => {
    if (!acceptedHost(req, port)) {
      sendText(res, 421, 'Misdirected request: use the address printed at start-up\n');
      return;
    }
    serveStatic(rootReal, req, res).catch(() => {
      if (!res.headersSent) sendText(res, 500, 'Internal error\n');
      else res.destroy();
    });
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: options.maxFrameBytes ?? MAX_FRAME_BYTES,
    perMessageDeflate: false,
  });
  wss.on('connection', (socket) => runSocketSession(socket, options.router, options.events));
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const refusal = upgradeRefusal(req, port, token);
    if (refusal) {
      socket.end(`HTTP/1.1 ${refusal}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  await new Promise<void>((resolveListen, rejectListen) => {
    server.once('error', rejectListen);
    server.listen(options.port ?? 0, WEB_HOST_ADDRESS, () => {
      server.off('error', rejectListen);
      resolveListen();
    });
  });
  port = (server.address() as AddressInfo).port;
  // After listening, an 'error' (e.g. EMFILE on accept) must not crash the process: the next accept retries.
  server.on('error', () => {});

  let closing: Promise<void> | undefined;
  return {
    url: `http://${WEB_HOST_ADDRESS}:${port}/?token=${encodeURIComponent(token)}`,
    port,
    token,
    close: () => {
      closing ??= new Promise<void>((resolveClose) => {
        for (const client of wss.clients) client.close(1001, 'The web host is shutting down');
        wss.close();
        server.close(() => resolveClose());
        server.closeAllConnections();
        // Sockets that did not finish their closing handshake are cut so close() never hangs.
        setTimeout(() => {
          for (const client of wss.clients) client.terminate();
        }, 1000).unref();
      });
      return closing;
    },
  };
}

/** Why an upgrade is refused ("403 Forbidden"), or null to accept it. */
function upgradeRefusal(req: IncomingMessage, port: number, token: string): string | null {
  const host = acceptedHost(req, port);
  if (!host) return '421 Misdirected Request';
  const target = req.url ?? '';
  if (!target.startsWith('/')) return '400 Bad Request';
  let url: URL;
  try {
    // Prefixing (not resolving against a base) keeps a target like //evil/api from being read as a host.
    url = new URL(`http://${host}${target}`);
  } catch {
    return '400 Bad Request';
  }
  if (url.pathname !== WIRE_PATH) return '404 Not Found';
  if (!originMatches(req, host)) return '403 Forbidden';
  if (!tokenMatches(token, url.searchParams.get('token'))) return '403 Forbidden';
  return null;
}
