/**
 * The per-file floor of case (c): what a verified, durable download of many small files costs in Node with the
 * least code that does it, next to which `4dn-dl -j 8` is judged. Given storage URLs (no DRS, no portal: less
 * than 4dn-dl is asked to do), N connections kept alive, and per file only the steps a download that may be
 * trusted after a crash must take:
 *
 *   GET on a kept socket (Content-Length bodies only) -> open NAME.part exclusively -> write -> md5 -> fsync
 *   -> close -> rename to NAME -> fsync the folder (one fsync for the renames that finished together)
 *
 * No journal, no progress, no retries, no name checks: a floor, not a downloader. `--no-sync` drops both fsyncs
 * (what aria2c and curl do), to show what durability costs here.
 *
 * Given accessions instead (`--drs PORTAL --accessions FILE --auth KEY:SECRET`), each file first costs what the
 * protocol asks of any client that starts from an accession: the DRS object's GET on a kept portal socket, its
 * JSON parsed, the https access URL taken. That is the floor for `4dn-dl -i accessions.txt`.
 *
 *   node bench/per-file-floor.ts --urls DIR/storage-urls.txt --dir OUT [-j 8] [--no-sync]
 *   node bench/per-file-floor.ts --drs http://127.0.0.1:PORT --accessions DIR/accessions.txt --auth K:S --dir OUT
 *
 * prints one JSON line: files, wall and CPU seconds, CPU ms per file.
 */
import { createHash } from 'node:crypto';
import { open, readFile, rename } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { syncDirectory } from '../src-main/core/store/atomic-file.ts';

const { values } = parseArgs({
  options: {
    urls: { type: 'string' },
    drs: { type: 'string' },
    accessions: { type: 'string' },
    auth: { type: 'string' },
    dir: { type: 'string' },
    j: { type: 'string', default: '8' },
    'no-sync': { type: 'boolean', default: false },
  },
});
const list = values.urls ?? values.accessions;
if (!list || !values.dir)
  throw new Error('--urls FILE (or --accessions FILE with --drs) and --dir DIR are needed');
if (values.accessions && !(values.drs && values.auth))
  throw new Error('--accessions needs --drs URL and --auth');
const dir = values.dir;
const sync = !values['no-sync'];
const urls = (await readFile(list, 'utf8')).split('\n').filter(Boolean);
const drs = values.drs ? new URL(values.drs) : undefined;
const authorization = `Basic ${Buffer.from(values.auth ?? '').toString('base64')}`;

/** One kept-alive HTTP/1.1 connection: sends a GET, answers the body of a 200 with a Content-Length. */
class KeptSocket {
  private readonly socket: Socket;
  private pending: Buffer[] = [];
  private waiting: ((chunk: Buffer) => void) | undefined;

  constructor(host: string, port: number) {
    this.socket = connect({ host, port, noDelay: true });
    this.socket.on('data', (chunk: Buffer) => {
      if (this.waiting) this.waiting(chunk);
      else this.pending.push(chunk);
    });
  }

  private next(): Promise<Buffer> {
    const chunk = this.pending.shift();
    if (chunk) return Promise.resolve(chunk);
    return new Promise((resolve) => {
      this.waiting = (c) => {
        this.waiting = undefined;
        resolve(c);
      };
    });
  }

  async get(url: URL, headers = ''): Promise<Buffer> {
    this.socket.write(`GET ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${url.host}\r\n${headers}\r\n`);
    let buffered = Buffer.alloc(0);
    let end = -1;
    while (end < 0) {
      buffered = Buffer.concat([buffered, await this.next()]);
      end = buffered.indexOf('\r\n\r\n');
    }
    const head = buffered.subarray(0, end).toString('latin1');
    if (!head.startsWith('HTTP/1.1 200')) throw new Error(`${url}: ${head.split('\r\n')[0]}`);
    const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1]);
    const parts: Buffer[] = [buffered.subarray(end + 4)];
    let have = parts[0]?.length ?? 0;
    while (have < length) {
      const chunk = await this.next();
      parts.push(chunk);
      have += chunk.length;
    }
    if (have > length) throw new Error('a pipelined extra answer: not expected here');
    return Buffer.concat(parts, length);
  }

  close(): void {
    this.socket.end();
  }
}

/** The DRS object's https access URL: one GET on the kept portal socket and its JSON. */
async function accessUrl(portal: KeptSocket, accession: string): Promise<URL> {
  const object = JSON.parse(
    (
      await portal.get(
        new URL(`/ga4gh/drs/v1/objects/${accession}`, drs),
        `Authorization: ${authorization}\r\nAccept: application/json\r\n`,
      )
    ).toString(),
  ) as { access_methods: { type: string; access_url?: { url: string } }[] };
  const url = object.access_methods.find((m) => m.type === 'https' || m.type === 'http')?.access_url?.url;
  if (!url) throw new Error(`${accession}: no http(s) access URL`);
  return new URL(url);
}

async function fetchOne(socket: KeptSocket, url: URL): Promise<string> {
  const body = await socket.get(url);
  const name = basename(url.pathname);
  const part = join(dir, `${name}.part`);
  const handle = await open(part, 'wx');
  await handle.write(body, 0, body.length, 0);
  const digest = createHash('md5').update(body).digest('hex');
  if (sync) await handle.sync();
  await handle.close();
  await rename(part, join(dir, name));
  // The app's own folder fsync: renames made while one runs share the next one.
  if (sync) await syncDirectory(dir);
  return digest;
}

const started = performance.now();
const cpuBefore = process.cpuUsage();
let next = 0;
await Promise.all(
  Array.from({ length: Number(values.j) }, async () => {
    let storage: KeptSocket | undefined;
    const portal = drs && new KeptSocket(drs.hostname, Number(drs.port));
    for (let item = urls[next++]; item; item = urls[next++]) {
      const url = portal ? await accessUrl(portal, item) : new URL(item);
      storage ??= new KeptSocket(url.hostname, Number(url.port));
      await fetchOne(storage, url);
    }
    storage?.close();
    portal?.close();
  }),
);
const cpu = process.cpuUsage(cpuBefore);
const cpuSec = (cpu.user + cpu.system) / 1e6;
process.stdout.write(
  `${JSON.stringify({
    files: urls.length,
    sync,
    wallSec: (performance.now() - started) / 1000,
    cpuSecAfterStart: cpuSec,
    cpuMsPerFile: (1000 * cpuSec) / urls.length,
  })}\n`,
);
