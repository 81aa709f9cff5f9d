import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FileRecord } from './catalog.ts';
import { advertisedMd5, isUploaded, lifetimeFor, md5sReady, type PortalContext } from './context.ts';
import { retryAfterHeader, sendJson, sendPortalError } from './http-util.ts';
import { fileHref } from './item-json.ts';

type Json = Record<string, unknown>;

/** Finds a file by accession, uuid, `md5:<hex>` or the legacy id `/files-processed/<ACC>/`. */
export async function findDrsRecord(ctx: PortalContext, id: string): Promise<FileRecord | undefined> {
  if (id.startsWith('md5:')) {
    const md5 = id.slice(4).toLowerCase();
    await md5sReady(ctx.catalog.records);
    return ctx.catalog.records.find(
      (record) =>
        record.content.md5Sync() === md5 || advertisedMd5(ctx, record, record.content.md5Sync()) === md5,
    );
  }
  const legacy = /^\/?files-[a-z]+\/([^/]+)\/?$/.exec(id);
  return ctx.catalog.find(legacy ? (legacy[1] as string) : id);
}

/**
 * The DRS object in the file's shape (PORTAL.md): "current" (id = accession, access_url to storage),
 * "legacy" (id = item path, access_urls to the portal's own @@download, no access_id) or "access-id" (access_id
 * only; the URL comes from /access/https).
 */
export function drsObject(ctx: PortalContext, record: FileRecord): Json {
  const s = record.sample;
  const md5 = advertisedMd5(ctx, record, record.content.md5Sync());
  const common: Json = {
    created_time: record.dateCreated,
    updated_time: record.dateCreated,
    size: isUploaded(record) ? s.size : 0,
    checksums: [{ checksum: md5, type: 'md5' }],
    name: record.submitterFileName,
    description: record.description,
  };
  if (s.drsShape === 'legacy') {
    // The real legacy object lists an https and an http URL of the same @@download. This portal only speaks
    // http, so the "https" method's URL is http://127.0.0.1:PORT/... as well; a client must simply use it.
    const download = `${ctx.portalUrl}/${s.accession}/@@download`;
    return {
      id: `/${s.itemType}/${s.accession}/`,
      drs_id: s.accession,
      self_uri: `drs://${ctx.host}/${s.itemType}/${s.accession}/@@drs`,
      ...common,
      access_methods: [
        { type: 'https', access_url: { url: download } },
        { type: 'http', access_url: { url: `http://${ctx.host}/${s.accession}/@@download` } },
      ],
    };
  }
  const object: Json = {
    id: s.accession,
    self_uri: `drs://${ctx.host}/${s.accession}`,
    ...common,
    version: md5,
    aliases: [s.uuid],
  };
  if (s.drsShape === 'access-id') {
    object.access_methods = [{ type: 'https', access_id: 'https' }];
    return object;
  }
  const otherServer = otherServerMethods(ctx, record);
  if (otherServer) {
    object.access_methods = otherServer;
    return object;
  }
  const methods: Json[] = [
    { type: 'https', access_id: 'https', access_url: { url: accessUrl(ctx, record, 'https') } },
  ];
  if (s.openData) {
    methods.push({
      type: 's3',
      access_id: 's3',
      region: 'us-east-1',
      access_url: { url: accessUrl(ctx, record, 's3') },
    });
  }
  object.access_methods = methods;
  return object;
}

/** Access methods of other DRS servers' shapes (see DrsShape), or undefined for the 4DN shapes. */
function otherServerMethods(ctx: PortalContext, record: FileRecord): Json[] | undefined {
  const s = record.sample;
  switch (s.drsShape) {
    case 's3-only':
      return [{ type: 's3', access_id: 's3' }];
    case 'gs':
      return [{ type: 'gs', access_id: 'gs' }];
    case 'gs-uri':
      return [{ type: 'gs', access_id: 'gs', access_url: { url: gsUri(record) } }];
    case 'several':
      return [
        { type: 's3', access_id: 's3', access_url: { url: ctx.urls.s3Uri(record, s.fileName) } },
        { type: 'gs', access_id: 'gs' },
        { type: 'https', access_id: 'https' },
        {
          type: 'https',
          access_url: { url: ctx.urls.location(record, s.fileName, lifetimeFor(ctx, record)) },
        },
      ];
    case 'several-ids':
      return [
        { type: 's3', access_id: 's3' },
        { type: 'gs', access_id: 'gs' },
      ];
    default:
      return undefined;
  }
}

const gsUri = (record: FileRecord) => `gs://sample-bucket/${record.sample.uuid}/${record.sample.fileName}`;

/** The URL `/access/{access_id}` hands out, or undefined when the object has no such method. */
function accessUrl(ctx: PortalContext, record: FileRecord, accessId: string): string | undefined {
  const s = record.sample;
  const signed = () => ctx.urls.location(record, s.fileName, lifetimeFor(ctx, record));
  switch (s.drsShape) {
    case 'legacy':
      return accessId === 'https' || accessId === 'http'
        ? `${ctx.portalUrl}/${s.accession}/@@download`
        : undefined;
    case 'access-id':
      return accessId === 'https' ? ctx.portalUrl + fileHref(record) : undefined;
    case 'current':
      if (accessId === 'https') return ctx.urls.location(record, s.fileName, lifetimeFor(ctx, record));
      if (accessId === 's3' && s.openData) return ctx.urls.s3Uri(record, s.fileName);
      return undefined;
    case 's3-only':
    case 'gs':
    case 'several':
      return ['s3', 'gs', 'https'].includes(accessId) ? signed() : undefined;
    case 'gs-uri':
      return accessId === 'gs' ? gsUri(record) : undefined;
    case 'several-ids':
      if (accessId === 's3') return ctx.urls.s3Uri(record, s.fileName);
      return accessId === 'gs' ? signed() : undefined;
    default:
      return undefined;
  }
}

function notFound(res: ServerResponse, id: string): void {
  sendPortalError(res, 404, `No DRS object found for id ${id}.`, { detail: `/ga4gh/drs/v1/objects/${id}` });
}

/** Answers the object itself (GET /objects/{id} and <file path>@@drs), honouring the drsStatus fault. */
export function sendDrsObject(
  ctx: PortalContext,
  res: ServerResponse,
  record: FileRecord | undefined,
  id: string,
) {
  if (!record || record.sample.drsShape === 'none') return notFound(res, id);
  const forced = ctx.faults.takeStatus(record.sample.accession, 'drsStatus');
  if (forced) {
    return sendPortalError(res, forced.status, forced.message ?? 'Simulated DRS failure.', {
      headers: retryAfterHeader(forced.retryAfter),
    });
  }
  sendJson(res, 200, drsObject(ctx, record));
}

/** Everything under /ga4gh/drs/v1 (segments after that prefix). */
export async function handleDrs(
  ctx: PortalContext,
  req: IncomingMessage,
  res: ServerResponse,
  segments: string[],
): Promise<void> {
  const method = req.method ?? 'GET';
  const [collection, id, access, accessId, ...rest] = segments;
  if (
    collection !== 'objects' ||
    id === undefined ||
    rest.length > 0 ||
    (access !== undefined && access !== 'access')
  )
    return sendPortalError(res, 404, 'The resource could not be found.');
  const record = await findDrsRecord(ctx, id);
  if (record) await md5sReady([record]);
  if (access === undefined) {
    if (method === 'OPTIONS') {
      if (!record || record.sample.drsShape === 'none') return notFound(res, id);
      res.writeHead(204, { Allow: 'GET, OPTIONS' });
      res.end();
      return;
    }
    if (method !== 'GET' && method !== 'HEAD')
      return sendPortalError(res, 405, `${method} is not allowed here.`);
    return sendDrsObject(ctx, res, record, id);
  }
  if (method !== 'GET' && method !== 'HEAD')
    return sendPortalError(res, 405, `${method} is not allowed here.`);
  if (!record || record.sample.drsShape === 'none') return notFound(res, id);
  const retryAfter = ctx.faults.takeAccessPending(record.sample.accession);
  if (retryAfter !== undefined) {
    res.writeHead(202, { 'Retry-After': String(retryAfter), 'Content-Length': 0 });
    res.end();
    return;
  }
  const chosen = accessId === undefined || accessId === '' ? 'https' : accessId;
  ctx.accessLog.push(`${record.sample.accession}:${chosen}`);
  const url = accessUrl(ctx, record, chosen);
  if (!url) return sendPortalError(res, 404, `No access method ${accessId} for DRS object ${id}.`);
  sendJson(res, 200, { url });
}
