import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';

const ERROR_TYPES: Record<number, string> = {
  400: 'HTTPBadRequest',
  401: 'HTTPUnauthorized',
  403: 'HTTPForbidden',
  404: 'HTTPNotFound',
  405: 'HTTPMethodNotAllowed',
  408: 'HTTPRequestTimeout',
  413: 'HTTPRequestEntityTooLarge',
  422: 'HTTPUnprocessableEntity',
  429: 'HTTPTooManyRequests',
  500: 'HTTPInternalServerError',
  501: 'HTTPNotImplemented',
  502: 'HTTPBadGateway',
  503: 'HTTPServiceUnavailable',
  504: 'HTTPGatewayTimeout',
};

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'No Access',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** The one error shape the portal uses for every 4xx/5xx, DRS endpoints included. */
export function portalErrorBody(
  status: number,
  title: string | undefined,
  description: string,
  detail?: string,
) {
  const body: Record<string, unknown> = {
    '@type': [ERROR_TYPES[status] ?? (status >= 500 ? 'HTTPServerError' : 'HTTPClientError'), 'Error'],
    status: 'error',
    code: status,
    title: title ?? TITLES[status] ?? 'Error',
    description,
  };
  if (detail !== undefined) body.detail = detail;
  return body;
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: OutgoingHttpHeaders = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

export function sendPortalError(
  res: ServerResponse,
  status: number,
  description: string,
  options: { title?: string; detail?: string; headers?: OutgoingHttpHeaders } = {},
): void {
  sendJson(res, status, portalErrorBody(status, options.title, description, options.detail), options.headers);
}

/** Retry-After header when a fault asks for one. */
export function retryAfterHeader(retryAfter: number | undefined): OutgoingHttpHeaders {
  return retryAfter === undefined ? {} : { 'Retry-After': String(retryAfter) };
}

export function sendText(
  res: ServerResponse,
  status: number,
  text: string,
  contentType: string,
  headers: OutgoingHttpHeaders = {},
): void {
  res.writeHead(status, {
    'Content-Type': contentType,
    'Content-Length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The portal's HTML representation: a page with the item's JSON, enough for a person or a scraper. */
export function sendHtml(res: ServerResponse, title: string, data: unknown, status = 200): void {
  const page = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} – 4DN Sample Portal</title></head>
<body><h1>${escapeHtml(title)}</h1>
<p>This is the sample 4DN portal. Ask for <code>Accept: application/json</code> or <code>?format=json</code>.</p>
<pre>${escapeHtml(JSON.stringify(data, null, 2))}</pre></body></html>
`;
  sendText(res, status, page, 'text/html; charset=utf-8');
}

/** An S3-style XML error. */
export function sendS3Error(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  headers: OutgoingHttpHeaders = {},
): void {
  const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${escapeHtml(message)}</Message><RequestId>${requestId()}</RequestId></Error>`;
  if (res.req.method === 'HEAD') {
    res.writeHead(status, { 'Content-Type': 'application/xml', ...headers });
    res.end();
    return;
  }
  sendText(res, status, xml, 'application/xml', headers);
}

let requestCounter = 0;
export function requestId(): string {
  requestCounter++;
  return `SAMPLE${requestCounter.toString(16).toUpperCase().padStart(10, '0')}`;
}

export async function readBody(req: IncomingMessage, limit = 1024 * 1024): Promise<string> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of req) {
    length += (chunk as Buffer).length;
    if (length > limit) throw new Error('Request body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Path segments, each percent-decoded after splitting, so an encoded `/` stays inside its segment. */
export function pathSegments(pathname: string): string[] {
  return pathname
    .split('/')
    .filter((segment) => segment !== '')
    .map((segment) => {
      try {
        return decodeURIComponent(segment);
      } catch {
        return segment;
      }
    });
}

export type Credentials =
  | { kind: 'none' }
  | { kind: 'basic'; key: string; secret: string }
  | { kind: 'bearer'; token: string }
  | { kind: 'other' };

export function parseAuthorization(header: string | undefined): Credentials {
  if (header === undefined) return { kind: 'none' };
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (bearer) return { kind: 'bearer', token: bearer[1] as string };
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!match) return { kind: 'other' };
  const decoded = Buffer.from(match[1] as string, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return { kind: 'other' };
  return { kind: 'basic', key: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}

/** HTML by default; JSON for `Accept: application/json` or `?format=json`. */
export function wantsJson(req: IncomingMessage, query: URLSearchParams): boolean {
  if (query.get('format') === 'json') return true;
  return /application\/json/i.test(req.headers.accept ?? '');
}
