import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A small GA4GH DRS 1.x server on 127.0.0.1 (not 4DN: no Basic keys, `{msg, status_code}` errors) serving
 * files and bundles from a table. A file's access_url is `<base>/bytes/<id>/<name>` on the same server, so a
 * download needs nothing else; a bundle lists `contents` with drs:// URIs of this server.
 */
export type DrsEntry =
  | { kind: 'file'; name: string; bytes: Buffer }
  | { kind: 'bundle'; name: string; contents: Array<{ name: string; id: string }> };

export interface DrsTestServer {
  base: string;
  drsBase: string;
  /** drs://127.0.0.1:PORT/<id> */
  uri(id: string): string;
  /** Paths requested, in order. */
  requests: string[];
  close(): Promise<void>;
}

export async function startDrsTestServer(table: Record<string, DrsEntry>): Promise<DrsTestServer> {
  const requests: string[] = [];
  let base = '';
  let host = '';
  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const object = (id: string, entry: DrsEntry) => {
    const common = {
      id,
      name: entry.name,
      self_uri: `drs://${host}/${id}`,
      created_time: '2026-01-01T00:00:00Z',
    };
    if (entry.kind === 'bundle') {
      return {
        ...common,
        size: 0,
        checksums: [{ type: 'sha-256', checksum: createHash('sha256').update(id).digest('hex') }],
        contents: entry.contents.map((c) => ({ name: c.name, id: c.id, drs_uri: [`drs://${host}/${c.id}`] })),
      };
    }
    return {
      ...common,
      size: entry.bytes.length,
      checksums: [{ type: 'sha-256', checksum: createHash('sha256').update(entry.bytes).digest('hex') }],
      access_methods: [
        { type: 'https', access_url: { url: `${base}/bytes/${id}/${encodeURIComponent(entry.name)}` } },
      ],
    };
  };
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', base).pathname;
    requests.push(path);
    const bytes = /^\/bytes\/([^/]+)\//.exec(path);
    if (bytes) {
      const entry = table[decodeURIComponent(bytes[1] as string)];
      if (entry?.kind !== 'file') return send(res, 404, { msg: 'No such bytes', status_code: 404 });
      res.writeHead(200, {
        'content-length': entry.bytes.length,
        'content-type': 'application/octet-stream',
      });
      res.end(entry.bytes);
      return;
    }
    const match = /^\/ga4gh\/drs\/v1\/objects\/([^/]+)$/.exec(path);
    const id = match ? decodeURIComponent(match[1] as string) : undefined;
    const entry = id === undefined ? undefined : table[id];
    if (id === undefined || !entry)
      return send(res, 404, { msg: `Object ${id} not found`, status_code: 404 });
    send(res, 200, object(id, entry));
  };
  const server: Server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  base = `http://${host}`;
  return {
    base,
    drsBase: `${base}/ga4gh/drs/v1`,
    uri: (id) => `drs://${host}/${id}`,
    requests,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
