import http from 'node:http';
import https from 'node:https';
import got, { type Got } from 'got';
import { Semaphore } from '../queue/semaphore.ts';

/**
 * The storage side of HTTP: got with its own retries off (the engine resumes with Range instead), no
 * decompression (bytes are saved as stored), no redirects followed on its own, identity encoding asked for.
 * Sockets are pooled per host and bounded in total; `slots` bounds requests in flight to the same number,
 * so a request never waits for a socket while its stall timer runs.
 */
export interface HttpClient {
  got: Got;
  slots: Semaphore;
  close(): void;
}

export function createHttpClient(options: { maxSockets?: number; userAgent?: string } = {}): HttpClient {
  const maxSockets = options.maxSockets ?? 64;
  const agentOptions = { keepAlive: true, maxSockets, maxTotalSockets: maxSockets, maxFreeSockets: 16 };
  const agents = { http: new http.Agent(agentOptions), https: new https.Agent(agentOptions) };
  const client = got.extend({
    retry: { limit: 0 },
    decompress: false,
    followRedirect: false,
    throwHttpErrors: false,
    agent: agents,
    headers: {
      'user-agent': options.userAgent ?? '4dn-downloader',
      'accept-encoding': 'identity',
    },
  });
  return {
    got: client,
    slots: new Semaphore(maxSockets),
    close() {
      agents.http.destroy();
      agents.https.destroy();
    },
  };
}
