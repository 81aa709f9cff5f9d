import type { IncomingMessage, ServerResponse } from 'node:http';
import { type AdminApi, handleAdmin } from './admin.ts';
import type { FileRecord } from './catalog.ts';
import { isUploaded, md5sReady, type PortalContext } from './context.ts';
import { handleDownload } from './download.ts';
import { handleDrs, sendDrsObject } from './drs.ts';
import { TOKEN_PATH } from './gen3.ts';
import {
  parseAuthorization,
  pathSegments,
  readBody,
  sendHtml,
  sendJson,
  sendPortalError,
  sendText,
  wantsJson,
} from './http-util.ts';
import { fileAtId, fileHref, fileItem, objectFrame, setAtId, setItem, TYPE_NAMES } from './item-json.ts';
import { metadataFileName, metadataTsv } from './metadata-tsv.ts';
import { findItems, runSearch } from './search.ts';
import { RESERVED } from './search-filters.ts';

const FILE_COLLECTIONS = new Set(['files-processed', 'files-fastq', 'files-reference']);

/** The portal origin: auth first (a bad key is a 401 anywhere), then the routes of PORTAL.md. */
export async function handlePortal(
  ctx: PortalContext,
  admin: AdminApi,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const url = new URL(req.url ?? '/', ctx.portalUrl);
  const segments = pathSegments(url.pathname);
  const query = url.searchParams;
  if (segments[0] === '__admin') return handleAdmin(admin, req, res, segments[1]);
  if (url.pathname === TOKEN_PATH) return ctx.gen3.handleExchange(req, res);
  const credentials = parseAuthorization(req.headers.authorization);
  const loggedIn =
    (credentials.kind === 'basic' && credentials.key === ctx.key && credentials.secret === ctx.secret) ||
    (credentials.kind === 'bearer' && ctx.gen3.valid(credentials.token));
  if (credentials.kind === 'bearer' && !loggedIn)
    return unauthorized(ctx, res, 'The access token has expired or is not valid.');
  if (credentials.kind !== 'none' && !loggedIn)
    return unauthorized(ctx, res, 'Invalid access key or secret.');
  if (url.pathname === '/user/user') {
    if (!loggedIn) return unauthorized(ctx, res, 'Not logged in.');
    return sendJson(res, 200, { username: 'demo@example.org', email: 'demo@example.org' });
  }
  if (segments[0] === 'ga4gh' && segments[1] === 'drs' && segments[2] === 'v1')
    return handleDrs(ctx, req, res, segments.slice(3));
  const method = req.method ?? 'GET';
  const isMetadata = segments[0] === 'metadata' || segments[0] === 'batch_download';
  if (method !== 'GET' && method !== 'HEAD' && !(method === 'POST' && isMetadata))
    return sendPortalError(res, 405, `${method} is not allowed on ${url.pathname}.`);
  const view = segments.findIndex((segment) => segment.startsWith('@@'));
  if (view >= 0) return fileView(ctx, res, segments, view, loggedIn);
  const json = wantsJson(req, query);
  const [first, second] = segments;
  switch (first) {
    case undefined:
      return represent(res, json, '4DN Sample Portal', {
        '@id': '/',
        '@type': ['Portal'],
        display_title: '4DN Sample Portal',
        search: '/search/',
        drs: '/ga4gh/drs/v1',
      });
    case 'search':
      return search(ctx, res, json, query);
    case 'session-properties':
      if (!loggedIn) return unauthorized(ctx, res, 'Not logged in: send an access key with HTTP Basic auth.');
      return sendJson(res, 200, {
        details: {
          email: 'demo@example.org',
          first_name: 'Demo',
          last_name: 'User',
          groups: [],
          lab: '/labs/example-lab/',
        },
        user_actions: [{ id: 'profile', title: 'Profile', href: '/me' }],
      });
    case 'metadata':
    case 'batch_download':
      return metadata(ctx, req, res, first, query);
  }
  if (FILE_COLLECTIONS.has(first) && second === undefined) {
    const typed = new URLSearchParams(query);
    typed.set('type', TYPE_NAMES[first as keyof typeof TYPE_NAMES]);
    return search(ctx, res, json, typed);
  }
  if (segments.length === 2 && FILE_COLLECTIONS.has(first)) {
    const record = ctx.catalog.find(second as string);
    if (!record || record.sample.itemType !== first)
      return sendPortalError(res, 404, `${url.pathname} not found.`);
    await md5sReady([record]);
    const item = fileItem(ctx, record);
    return represent(
      res,
      json,
      record.sample.fileName,
      query.get('frame') === 'object' ? objectFrame(item) : item,
    );
  }
  if (segments.length === 2 && first === 'experiment-set-replicates') {
    const set = ctx.catalog.findSet(second as string);
    if (!set) return sendPortalError(res, 404, `${url.pathname} not found.`);
    return represent(res, json, set.accession, setItem(ctx, set));
  }
  if (segments.length === 1) {
    const record = ctx.catalog.find(first);
    const set = ctx.catalog.findSet(first);
    const target = record ? fileAtId(record) : set ? setAtId(set) : undefined;
    if (target) {
      res.writeHead(301, { Location: `${ctx.portalUrl}${target}${url.search}`, 'Content-Length': 0 });
      res.end();
      return;
    }
  }
  sendPortalError(res, 404, `${url.pathname} not found.`);
}

function unauthorized(ctx: PortalContext, res: ServerResponse, description: string): void {
  const [host] = ctx.host.split(':');
  sendPortalError(res, 401, description, {
    title: 'No Access',
    headers: { 'WWW-Authenticate': `Bearer realm="${host}"; Basic realm="${host}"` },
  });
}

function represent(res: ServerResponse, json: boolean, title: string, data: unknown, status = 200): void {
  if (json) sendJson(res, status, data);
  else sendHtml(res, title, data, status);
}

/** `<file path>@@download[/name]` and `<file path>@@drs`; the file path is `/<collection>/<id>` or `/<id>`. */
function fileView(
  ctx: PortalContext,
  res: ServerResponse,
  segments: string[],
  view: number,
  loggedIn: boolean,
): void | Promise<void> {
  const item = segments.slice(0, view);
  const id = item.at(-1);
  const record = id === undefined ? undefined : ctx.catalog.find(id);
  const collectionOk = item.length === 1 || (item.length === 2 && record?.sample.itemType === item[0]);
  if (!record || !collectionOk) return sendPortalError(res, 404, `/${segments.join('/')} not found.`);
  const rest = segments.slice(view + 1);
  switch (segments[view]) {
    case '@@download':
      if (rest.length > 1) return sendPortalError(res, 404, `/${segments.join('/')} not found.`);
      return handleDownload(ctx, res, record, rest[0], loggedIn);
    case '@@drs':
      return md5sReady([record]).then(() => sendDrsObject(ctx, res, record, record.sample.accession));
    case '@@object':
      return md5sReady([record]).then(() => sendJson(res, 200, objectFrame(fileItem(ctx, record))));
    default:
      return sendPortalError(res, 404, `/${segments.join('/')} not found.`);
  }
}

async function search(
  ctx: PortalContext,
  res: ServerResponse,
  json: boolean,
  query: URLSearchParams,
): Promise<void> {
  const { status, body } = await runSearch(ctx, query);
  if (status === 400) return sendJson(res, 400, body);
  represent(res, json, 'Search', body, status);
}

/** `/metadata/` (the TSV) and `/batch_download/` (files.txt), by `accession=` list or by search parameters. */
async function metadata(
  ctx: PortalContext,
  req: IncomingMessage,
  res: ServerResponse,
  kind: 'metadata' | 'batch_download',
  query: URLSearchParams,
): Promise<void> {
  const params = new URLSearchParams(query);
  if (req.method === 'POST') {
    const body = await readBody(req);
    const parsed = /json/i.test(req.headers['content-type'] ?? '')
      ? jsonParams(body)
      : new URLSearchParams(body);
    for (const [key, value] of parsed) params.append(key, value);
  }
  const records = await select(ctx, params);
  if (!Array.isArray(records)) return sendJson(res, 400, records);
  await md5sReady(records);
  if (kind === 'metadata') {
    return sendText(res, 200, metadataTsv(ctx, records), 'text/tab-separated-values; charset=utf-8', {
      'Content-Disposition': `attachment; filename="${metadataFileName(ctx)}"`,
    });
  }
  const urls = records
    .filter((record) => isUploaded(record) && record.sample.status !== 'restricted')
    .flatMap((record) => [fileHref(record), ...record.extras.map((extra) => extra.info.href)])
    .map((href) => ctx.portalUrl + href);
  const lines = [`${ctx.portalUrl}/metadata/?${params}`, ...new Set(urls)];
  sendText(res, 200, `${lines.join('\n')}\n`, 'text/plain; charset=utf-8', {
    'Content-Disposition': 'attachment; filename="files.txt"',
  });
}

/** Files in request order for `accession=` (repeats make duplicate rows), else the search's files in order. */
export async function select(
  ctx: PortalContext,
  params: URLSearchParams,
): Promise<FileRecord[] | Record<string, unknown>> {
  const accessions = params.getAll('accession');
  if (accessions.length > 0)
    return accessions.flatMap((accession) => ctx.catalog.find(accession) ?? []).filter((record) => record);
  const found = await findItems(ctx, params, {
    defaultType: 'File',
    reserved: new Set([...RESERVED, 'accession']),
  });
  if (!found.ok) return found.error;
  const chosen = new Set(found.items.map((item) => item.record));
  return ctx.catalog.records.filter((record) => chosen.has(record));
}

function jsonParams(body: string): URLSearchParams {
  const params = new URLSearchParams();
  try {
    const parsed = JSON.parse(body) as { accessions?: unknown };
    if (Array.isArray(parsed.accessions))
      for (const accession of parsed.accessions) params.append('accession', String(accession));
  } catch {
    // An unreadable body selects nothing extra.
  }
  return params;
}
