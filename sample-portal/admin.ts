import type { IncomingMessage, ServerResponse } from 'node:http';
import { validateFaults } from './fault-spec.ts';
import { readBody, sendJson, sendPortalError } from './http-util.ts';
import type { AddFileSpec, FileFaults, SampleFile, StorageRequestLog } from './types.ts';

/** What the admin endpoints may do: the same operations tests get from the SamplePortal object. */
export interface AdminApi {
  has(accession: string): boolean;
  setFaults(accession: string, faults: FileFaults): void;
  clearFaults(): void;
  resetStats(): void;
  addFile(spec: AddFileSpec): SampleFile;
  storageRequests(): StorageRequestLog[];
  authorizationSentToStorage(): boolean;
}

/**
 * Test hooks for a portal running in another process (the demo, e2e tests), on the portal origin only:
 * POST /__admin/faults {accession, faults}, POST /__admin/reset, POST /__admin/files {size, ...},
 * GET /__admin/stats.
 */
export async function handleAdmin(
  api: AdminApi,
  req: IncomingMessage,
  res: ServerResponse,
  action: string | undefined,
): Promise<void> {
  const method = req.method ?? 'GET';
  if (action === 'stats' && method === 'GET')
    return sendJson(res, 200, {
      storageRequests: api.storageRequests(),
      authorizationSentToStorage: api.authorizationSentToStorage(),
    });
  if (method !== 'POST')
    return sendPortalError(res, 405, `${method} is not allowed on /__admin/${action ?? ''}.`);
  let body: Record<string, unknown>;
  try {
    const text = await readBody(req);
    body = text.trim() === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
  } catch (error) {
    return sendPortalError(res, 400, `Bad JSON body: ${(error as Error).message}`);
  }
  try {
    switch (action) {
      case 'reset':
        api.clearFaults();
        api.resetStats();
        return sendJson(res, 200, { ok: true });
      case 'faults': {
        const accession = body.accession;
        if (typeof accession !== 'string' || !api.has(accession))
          return sendPortalError(res, 404, `No sample file ${String(accession)}.`);
        api.setFaults(accession, validateFaults(body.faults ?? {}));
        return sendJson(res, 200, { ok: true });
      }
      case 'files': {
        if (typeof body.size !== 'number') return sendPortalError(res, 400, 'size (bytes) is required.');
        const file = api.addFile(body as unknown as AddFileSpec);
        return sendJson(res, 200, file);
      }
      default:
        return sendPortalError(res, 404, `No admin action ${action ?? ''}.`);
    }
  } catch (error) {
    return sendPortalError(res, 400, (error as Error).message);
  }
}
