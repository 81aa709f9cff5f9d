import { runTransfer } from '../../src-main/core/downloads/transfer/transfer.ts';
import type { ConnectionPool } from '../../src-main/core/http/connection-pool.ts';

/**
 * A storage GET of a whole file through runTransfer on `pool`, as a download strategy makes it: what was
 * written, how many bytes the transfer counted, and the error when it failed (instead of a throw). `lent` are
 * the views the sink was handed themselves (read into again after their write), `written` copies of them.
 */
export async function fetchStorage(pool: ConnectionPool, url: string, headers: Record<string, string> = {}) {
  const written: Buffer[] = [];
  const lent: Buffer[] = [];
  let received: number | undefined;
  const error = await runTransfer(
    { http: pool },
    {
      url,
      headers,
      start: 0,
      ranged: true,
      wholeOk: true,
      stallTimeoutMs: 30_000,
      signal: new AbortController().signal,
    },
    {
      begin: () => undefined,
      write: async (chunks) => {
        // Copied: the transfer reads into these views again once the write resolved.
        for (const chunk of chunks) written.push(Buffer.from(chunk));
        lent.push(...chunks);
      },
    },
  ).then(
    (result) => {
      received = result.received;
      return undefined;
    },
    (e: unknown) => e as Error & { code?: string },
  );
  return { error, written, lent, received, bytes: Buffer.concat(written).toString() };
}
