import type { Catalog, FileRecord } from './catalog.ts';
import type { FaultBook } from './faults.ts';
import type { Gen3Auth } from './gen3.ts';
import type { StorageStats } from './storage-stats.ts';
import type { StorageUrls } from './storage-urls.ts';

/** What the portal's handlers share. */
export interface PortalContext {
  catalog: Catalog;
  faults: FaultBook;
  urls: StorageUrls;
  stats: StorageStats;
  /** The Gen3-like login (API key exchange, expiring bearer tokens). */
  gen3: Gen3Auth;
  /** "ACC:access_id" per DRS /access request, so tests can see which access method a client chose. */
  accessLog: string[];
  /** http://127.0.0.1:PORT */
  portalUrl: string;
  /** 127.0.0.1:PORT, for drs:// URIs and the WWW-Authenticate realm */
  host: string;
  key: string;
  secret: string;
  urlLifetimeMs: number;
  /** When the portal started: the metadata TSV's name and intro use it, so its text is stable. */
  startedAt: Date;
}

/** The md5 the portal advertises: the real one, or a wrong one under the wrongMd5 fault. */
export function advertisedMd5(ctx: PortalContext, record: FileRecord, real: string): string {
  if (!ctx.faults.get(record.sample.accession).wrongMd5) return real;
  const last = Number.parseInt(real.slice(-1), 16);
  return real.slice(0, -1) + ((last + 1) % 16).toString(16);
}

/** Makes sure the md5s of these files (main and extra) are computed, without blocking the servers on big ones. */
export async function md5sReady(records: Iterable<FileRecord>): Promise<void> {
  for (const record of records) {
    await record.content.md5();
    for (const extra of record.extras) await extra.content.md5();
  }
}

/** The URL a signed storage link for this file lives. */
export function lifetimeFor(ctx: PortalContext, record: FileRecord): number {
  return ctx.faults.get(record.sample.accession).urlLifetimeMs ?? ctx.urlLifetimeMs;
}

const NOT_UPLOADED = new Set(['uploading', 'to be uploaded by workflow', 'upload failed']);

export function isUploaded(record: FileRecord): boolean {
  return !NOT_UPLOADED.has(record.sample.status);
}
