/** Small helpers for the sample portal's own integration tests (real HTTP, no mocks). */
import { get as httpGet } from 'node:http';
import type { SampleFile, SamplePortal } from './types.ts';

export function basicAuth(key: string, secret: string): string {
  return `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`;
}

/** Headers that log in with the portal's demo key, plus any others. */
export function authed(portal: SamplePortal, headers: Record<string, string> = {}): Record<string, string> {
  return { authorization: basicAuth(portal.key, portal.secret), ...headers };
}

export const JSON_ACCEPT = { accept: 'application/json' };

/** A response's JSON body as a plain object. */
export async function jsonOf(response: Response): Promise<Record<string, unknown>> {
  return (await response.json()) as Record<string, unknown>;
}

export async function getJson(
  url: string,
  headers: Record<string, string> = {},
  init: RequestInit = {},
): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }> {
  const response = await fetch(url, { ...init, headers: { ...JSON_ACCEPT, ...headers }, redirect: 'manual' });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : {} };
}

/** Asks @@download (logged in) and returns the storage URL of its 307. */
export async function storageLocation(
  portal: SamplePortal,
  file: SampleFile,
  name = file.fileName,
): Promise<string> {
  const response = await fetch(`${portal.portalUrl}/${file.itemType}/${file.accession}/@@download/${name}`, {
    headers: authed(portal),
    redirect: 'manual',
  });
  await response.arrayBuffer();
  const location = response.headers.get('location');
  if (response.status !== 307 || !location) throw new Error(`@@download answered ${response.status}`);
  return location;
}

/** The first sample file that satisfies the predicate. */
export function fileWhere(portal: SamplePortal, predicate: (file: SampleFile) => boolean): SampleFile {
  const file = portal.files.find(predicate);
  if (!file) throw new Error('No sample file matches');
  return file;
}

/** A downloadable file (released, not restricted) served through a presigned URL. */
export function presignedFile(portal: SamplePortal): SampleFile {
  return fileWhere(portal, (f) => f.status === 'released' && !f.openData && f.size > 100_000);
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  /** Set when the connection ended before the response was complete (or was aborted by the caller). */
  error?: Error;
}

/**
 * A GET through node:http, which never decompresses and reports a short body as an error while keeping the
 * bytes that did arrive. `onData` sees the running byte count; calling the returned abort stops the request.
 */
export function rawGet(
  url: string,
  headers: Record<string, string> = {},
  onData?: (received: number, abort: () => void) => void,
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    let responded = false;
    const request = httpGet(url, { headers, agent: false }, (response) => {
      responded = true;
      const chunks: Buffer[] = [];
      let received = 0;
      let settled = false;
      const finish = (error?: Error) => {
        if (settled) return;
        settled = true;
        const result: RawResponse = {
          status: response.statusCode ?? 0,
          headers: response.headers,
          body: Buffer.concat(chunks),
        };
        if (error) result.error = error;
        resolve(result);
      };
      response.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        received += chunk.length;
        onData?.(received, () => request.destroy(new Error('aborted by test')));
      });
      response.on('end', () => finish(response.complete ? undefined : new Error('incomplete body')));
      response.on('error', (error) => finish(error));
      response.on('aborted', () => finish(new Error('aborted')));
      response.on('close', () => finish(response.complete ? undefined : new Error('connection closed')));
    });
    request.on('error', (error) => {
      if (!responded) reject(error);
    });
  });
}
