import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import type { InvokeChannel, InvokeResult } from '../../src-shared/ipc/contract.ts';

export const INDEX_HTML =
  '<!doctype html><html><head><title>4DN test page</title></head><body></body></html>\n';

/** A scratch folder with a fake built renderer in `renderer/` and a file outside it that must never be served. */
export async function makeScratch(): Promise<{
  root: string;
  rendererDir: string;
  dataDir: string;
  cleanup(): Promise<void>;
}> {
  const root = await mkdtemp(join(tmpdir(), '4dn-web-test-'));
  const rendererDir = join(root, 'renderer');
  await mkdir(join(rendererDir, 'assets'), { recursive: true });
  await writeFile(join(rendererDir, 'index.html'), INDEX_HTML);
  await writeFile(join(rendererDir, 'assets', 'app-1234.js'), 'console.log("app");\n');
  await writeFile(join(rendererDir, 'assets', 'app-1234.css'), 'body{}\n');
  await writeFile(join(root, 'secret.txt'), 'outside the renderer\n');
  return {
    root,
    rendererDir,
    dataDir: join(root, 'data'),
    cleanup: () => rm(root, { recursive: true, force: true }),
  };
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A request sent exactly as written (fetch would normalise `/../` and forbids setting Host). */
export function rawRequest(
  port: number,
  path: string,
  options: { method?: string; host?: string | null; headers?: Record<string, string> } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.host !== null) headers.Host = options.host ?? `127.0.0.1:${port}`;
    const req = request(
      { host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers, setHost: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

export interface SocketTarget {
  port: number;
  token?: string | null;
  origin?: string | null;
  host?: string;
  path?: string;
}

/** Opens a socket; resolves with it when accepted, rejects with the HTTP status when the upgrade is refused. */
export function openSocket(target: SocketTarget): Promise<WebSocket> {
  const origin = target.origin === undefined ? `http://127.0.0.1:${target.port}` : target.origin;
  const query =
    target.token === null || target.token === undefined ? '' : `?token=${encodeURIComponent(target.token)}`;
  const headers: Record<string, string> = {};
  if (origin !== null) headers.Origin = origin;
  if (target.host) headers.Host = target.host;
  const socket = new WebSocket(`ws://127.0.0.1:${target.port}${target.path ?? '/api'}${query}`, { headers });
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve(socket));
    socket.once('unexpected-response', (_req, res) => {
      reject(new UpgradeRefused(res.statusCode ?? 0));
      socket.terminate();
    });
    socket.once('error', (error) => reject(error));
  });
}

export class UpgradeRefused extends Error {
  readonly status: number;
  constructor(status: number) {
    super(`upgrade refused with ${status}`);
    this.status = status;
  }
}

/** The status an upgrade was refused with, or 101 when it was accepted (the socket is closed again). */
export async function upgradeStatus(target: SocketTarget): Promise<number> {
  try {
    const socket = await openSocket(target);
    socket.close();
    return 101;
  } catch (error) {
    if (error instanceof UpgradeRefused) return error.status;
    throw error;
  }
}

interface Frame {
  type: string;
  id?: number;
  name?: string;
  payload?: unknown;
  result?: InvokeResult<InvokeChannel>;
}

/** A small client over the wire protocol: invoke by id, wait for events, see how the socket closed. */
export class WireClient {
  readonly socket: WebSocket;
  readonly frames: Frame[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  private nextId = 1;
  private readonly waiters: Array<() => void> = [];

  constructor(socket: WebSocket) {
    this.socket = socket;
    socket.on('message', (data) => {
      this.frames.push(JSON.parse(String(data)) as Frame);
      for (const wake of this.waiters.splice(0)) wake();
    });
    this.closed = new Promise((resolve) => {
      socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() }));
    });
  }

  async invoke(channel: unknown, input: unknown): Promise<InvokeResult<InvokeChannel>> {
    const id = this.nextId++;
    this.socket.send(JSON.stringify({ type: 'invoke', id, channel, input }));
    const frame = await this.waitFor((f) => f.type === 'result' && f.id === id);
    return frame.result as InvokeResult<InvokeChannel>;
  }

  sendRaw(data: string | Buffer, binary = false): void {
    this.socket.send(data, { binary });
  }

  waitFor(match: (frame: Frame) => boolean): Promise<Frame> {
    return new Promise((resolve) => {
      const check = () => {
        const found = this.frames.find(match);
        if (found) resolve(found);
        else this.waiters.push(check);
      };
      check();
    });
  }
}
