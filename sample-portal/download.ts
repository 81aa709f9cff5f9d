import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { FileRecord } from './catalog.ts';
import { lifetimeFor, type PortalContext } from './context.ts';
import { retryAfterHeader, sendPortalError, sendText } from './http-util.ts';

interface Refusal {
  status: number;
  description: string;
  title?: string;
  headers?: OutgoingHttpHeaders;
}

/**
 * `<file path>@@download[/<name>]`, in the portal's order: anonymous 403 "Not logged in.", restricted 403, a
 * name that is neither the file's nor an extra file's 404, else 307 to storage (Open Data or presigned).
 */
export function handleDownload(
  ctx: PortalContext,
  res: ServerResponse,
  record: FileRecord,
  name: string | undefined,
  loggedIn: boolean,
): void {
  const fileName = name === undefined || name === '' ? record.sample.fileName : name;
  const refusal = refuse(ctx, record, fileName, loggedIn);
  if (refusal) {
    sendPortalError(res, refusal.status, refusal.description, {
      title: refusal.title,
      headers: refusal.headers,
    });
    return;
  }
  const location = ctx.urls.location(record, fileName, lifetimeFor(ctx, record));
  const text = `307 Temporary Redirect\n\nThe resource has been moved to ${location}\n`;
  sendText(res, 307, text, 'text/plain; charset=utf-8', { Location: location });
}

function refuse(
  ctx: PortalContext,
  record: FileRecord,
  fileName: string,
  loggedIn: boolean,
): Refusal | undefined {
  const s = record.sample;
  if (!loggedIn) {
    const description = 'You must be logged in to download files: send an access key with HTTP Basic auth.';
    return { status: 403, title: 'Not logged in.', description };
  }
  if (s.status === 'restricted')
    return { status: 403, description: `File ${s.accession} is restricted and cannot be downloaded.` };
  if (fileName !== s.fileName && !record.extras.some((extra) => extra.info.fileName === fileName))
    return { status: 404, description: `File ${s.accession} has no file named ${fileName}.` };
  const forced = ctx.faults.takeStatus(s.accession, 'downloadStatus');
  if (forced)
    return {
      status: forced.status,
      description: 'Simulated download failure.',
      headers: retryAfterHeader(forced.retryAfter),
    };
  return undefined;
}
