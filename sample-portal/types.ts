import type { Gen3Auth } from './gen3.ts';

/** The sample portal's public API types (re-exported by server.ts; other code imports them from there). */

export interface SamplePortalOptions {
  /** Portal port, 0 = random (default 0); storage always gets its own random port. */
  port?: number;
  /** Default 1: the same seed gives the same files, bytes, md5s, accessions and key. */
  seed?: number;
  /** Number of generated sample files (default 12). */
  files?: number;
  /** Signed storage URL lifetime (default 36 h). */
  urlLifetimeMs?: number;
  /** Where keypairs.json is written (default: a new temp dir, removed on close). */
  dataDir?: string;
  /** Lifetime of the Gen3-like bearer tokens (default 20 min). */
  gen3TokenLifetimeMs?: number;
}

export type ItemType = 'files-processed' | 'files-fastq' | 'files-reference';
/**
 * 'current', 'legacy', 'access-id' are the 4DN shapes (PORTAL.md); the rest are other DRS servers' shapes:
 * 's3-only' `[{type: s3, access_id: s3}]` whose /access/s3 answers an https URL (Gen3's usual shape); 'gs' the
 * same with gs; 'gs-uri' whose /access/gs answers only a gs:// URL; 'several' an s3:// URL with an access id,
 * a gs access id, an https access id and a direct https access_url; 'several-ids' an s3 access id answering
 * s3:// and a gs access id answering https.
 */
export type DrsShape =
  | 'current'
  | 'legacy'
  | 'access-id'
  | 'none'
  | 's3-only'
  | 'gs'
  | 'gs-uri'
  | 'several'
  | 'several-ids';

export interface ExtraFile {
  fileName: string;
  format: string;
  size: number;
  md5: string;
  /** Portal-relative, like the item JSON: `/files-processed/<ACC>/@@download/<name>`. */
  href: string;
}

export interface SampleFile {
  /** TSTFI + 7 of [0-9A-Z], deterministic from the seed. */
  accession: string;
  uuid: string;
  itemType: ItemType;
  /** `<ACC>.<ext>`, e.g. TSTFI1A2B3C4.pairs.gz */
  fileName: string;
  format: string;
  size: number;
  /** md5 of the stored bytes (what md5sum of the download must equal). */
  md5: string;
  status: string;
  /** 'access-id' = access method with access_id only, no access_url; 'none' = DRS 404. */
  drsShape: DrsShape;
  /** The 307 goes to the "open data" style URL (unsigned, on the fake storage) instead of a presigned one. */
  openData: boolean;
  extraFiles: ExtraFile[];
}

export interface StatusFault {
  status: number;
  retryAfter?: number;
  times: number;
  /** The error text the portal sends instead of its own (e.g. with terminal escapes, to test they are shown inert). */
  message?: string;
}

export interface FileFaults {
  /** Storage closes the connection after N body bytes of a response ... */
  dropAfterBytes?: number;
  /** ... this many times (default 1), then serves normally. */
  dropTimes?: number;
  /** Storage stops sending after N body bytes, for stallMs (default: until the client gives up). */
  stallAfterBytes?: number;
  stallMs?: number;
  /** Default 1. */
  stallTimes?: number;
  /** The next `times` storage GETs answer this status (XML body, Retry-After when given). */
  storageStatus?: StatusFault;
  /** Same for GET /ga4gh/drs/v1/objects/<id> (and <file path>@@drs). */
  drsStatus?: StatusFault;
  /** Same for @@download. */
  downloadStatus?: StatusFault;
  /** /access/{id} answers 202 + Retry-After this many times. */
  accessPending?: { retryAfter: number; times: number };
  /** Storage answers 200 with the whole body to a ranged GET. */
  ignoreRange?: boolean;
  /** A 206 whose Content-Range (and body) start some bytes away from the requested start. */
  wrongContentRange?: boolean;
  /** Flip the byte at this file offset in the next response that covers it, once. */
  flipByteOnce?: number;
  /** Item JSON, DRS checksums and the metadata TSV advertise a wrong md5. */
  wrongMd5?: boolean;
  /** Storage sends Content-Encoding: gzip (the stored bytes are served as-is, not compressed again). */
  gzipEncoding?: boolean;
  /** Signed URLs for this file expire after this many ms (then 403 XML "Request has expired"). */
  urlLifetimeMs?: number;
  /** Per-connection cap on storage. */
  throughputBytesPerSec?: number;
  /** Body with Transfer-Encoding: chunked and no Content-Length. */
  chunked?: boolean;
}

export interface StorageRequestLog {
  fileName: string;
  method: string;
  range?: string;
  status: number;
  hadAuthorization: boolean;
  /** The request target (path and query) and every header line as received, to look for leaked secrets. */
  target: string;
  headerText: string;
  bytesSent: number;
  at: number;
}

export interface AddFileSpec
  extends Partial<Omit<SampleFile, 'md5' | 'accession' | 'uuid' | 'fileName' | 'extraFiles'>> {
  size: number;
  accession?: string;
  withExtraFile?: boolean;
}

export interface SamplePortal {
  /** http://127.0.0.1:PORT (no trailing slash) */
  portalUrl: string;
  storageUrl: string;
  /** `${portalUrl}/ga4gh/drs/v1` */
  drsBase: string;
  /** The demo access key (8 upper-case base32 / 16 lower-case base32). */
  key: string;
  secret: string;
  /** keypairs.json with {"default": {key, secret, server: portalUrl + '/'}} */
  keypairsPath: string;
  /** A Gen3 credentials.json ({api_key, key_id}) the portal's token exchange accepts. */
  gen3CredentialsPath: string;
  /** The Gen3-like login: exchanges counted, tokens issued, revokeAll(), tokenLifetimeMs. */
  gen3: Gen3Auth;
  files: SampleFile[];
  /** Throws if unknown. */
  file(accession: string): SampleFile;
  addFile(spec: AddFileSpec): SampleFile;
  /** The stored content of a main or extra file, bytes [start, end) (end exclusive, default: the whole file). */
  readBytes(fileName: string, start?: number, end?: number): Buffer;
  /** Replaces this file's faults (extra files share their parent's). */
  setFaults(accession: string, faults: FileFaults): void;
  clearFaults(accession?: string): void;
  /** Storage body bytes actually written for that file. */
  bytesServed(fileName: string): number;
  storageRequests(): StorageRequestLog[];
  /** True if ANY storage request carried Authorization. */
  authorizationSentToStorage(): boolean;
  /** Every DRS `/access/{access_id}` request, as "ACC:access_id", in order (cleared by resetStats). */
  drsAccessRequests(): string[];
  resetStats(): void;
  /** Same text as GET /metadata/ (all files, or these accessions). */
  metadataTsv(accessions?: string[]): string;
  close(): Promise<void>;
}
