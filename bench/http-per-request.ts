/**
 * CPU per HTTP request of the ways the engine could fetch: got.stream (what it used once), plain node:http (the
 * portal and DRS calls) and our own sockets (core/http/body-socket.ts, the storage GETs), all with keep-alive, 8 at a time, each body read and dropped. Run it under an outside
 * timer, once per mode, on the storage URLs bench/small-files.ts writes:
 *
 *   /usr/bin/time -f '%U %S' node bench/http-per-request.ts got  DIR/storage-urls.txt [ROUNDS]
 *   /usr/bin/time -f '%U %S' node bench/http-per-request.ts http DIR/storage-urls.txt [ROUNDS]
 *   /usr/bin/time -f '%U %S' node bench/http-per-request.ts none DIR/storage-urls.txt   (start-up alone)
 *
 * (CPU of a mode minus CPU of none) / requests is that client's cost per request on this machine. Both modes load
 * got, so start-up is the same.
 */
import { readFileSync } from 'node:fs';
import { Agent, get } from 'node:http';
import got from 'got';
import { BodySockets } from '../src-main/core/http/body-socket.ts';
import { SlabPool } from '../src-main/core/http/slab-pool.ts';

const [mode = 'got', listPath, roundsText = '4'] = process.argv.slice(2);
if (!listPath || !['got', 'http', 'ours', 'none'].includes(mode)) {
  throw new Error('usage: http-per-request.ts got|http|ours|none URLS_FILE [ROUNDS]');
}
const list = readFileSync(listPath, 'utf8').trim().split('\n');
const urls = Array.from({ length: Number(roundsText) }, () => list).flat();
const agent = new Agent({ keepAlive: true });

function viaHttp(url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    get(url, { agent }, (res) => {
      res.on('data', () => {});
      res.on('end', resolve);
      res.on('error', reject);
    }).on('error', reject);
  });
}

function viaGot(url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const stream = got.stream(url, {
      followRedirect: false,
      decompress: false,
      throwHttpErrors: false,
      retry: { limit: 0 },
      timeout: { request: 30_000 },
    });
    stream.on('data', () => {});
    stream.on('end', resolve);
    stream.on('error', reject);
  });
}

const sockets = new BodySockets({ slabs: new SlabPool(), maxIdle: 16 });

/** Our own sockets (core/http/body-socket.ts), as storage GETs use them. */
async function viaOurs(url: string): Promise<void> {
  const response = await sockets.get(new URL(url), { 'user-agent': 'bench' }).response;
  for await (const view of response.body) response.release([view]);
}

const fetchOne =
  mode === 'got' ? viaGot : mode === 'http' ? viaHttp : mode === 'ours' ? viaOurs : async () => {};
let next = 0;
await Promise.all(
  Array.from({ length: 8 }, async () => {
    while (next < urls.length) await fetchOne(urls[next++] as string);
  }),
);
agent.destroy();
sockets.close();
process.stderr.write(`${mode}: ${urls.length} requests\n`);
