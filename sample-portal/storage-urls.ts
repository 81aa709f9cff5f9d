import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FileRecord } from './catalog.ts';
import { derivedKey } from './random.ts';

const OPEN_BUCKET = '4dn-open-data-public';
const OPEN_PREFIX = `/${OPEN_BUCKET}/fourfront-webprod/wfoutput/`;
const ACCESS_KEY_ID = 'ASIASAMPLEPORTAL0000';

export interface ObjectPath {
  uuid: string;
  fileName: string;
  /** True for the unsigned Open Data bucket, false for the presigned private buckets. */
  open: boolean;
  /** The path as signed (decoded). */
  path: string;
}

export type Verdict = 'ok' | 'missing' | 'bad-signature' | 'expired';

/**
 * Storage URLs on the fake S3 origin, shaped like the portal's: the Open Data bucket (public, unsigned) and the
 * private buckets reached through presigned GETs. Our query string is S3 v2 style (AWSAccessKeyId, Expires,
 * Signature) except that `Expires` is in epoch milliseconds, so tests can use lifetimes below a second. The
 * signature is an HMAC over method, path and expiry: HEAD therefore fails like on S3.
 */
export class StorageUrls {
  readonly origin: string;
  readonly #secret: Buffer;

  constructor(origin: string, seed: number) {
    this.origin = origin;
    this.#secret = derivedKey(seed, 'storage-signing');
  }

  /** Where @@download sends a client: Open Data for open files, else a presigned URL living lifetimeMs. */
  location(record: FileRecord, fileName: string, lifetimeMs: number, now = Date.now()): string {
    if (record.sample.openData) return this.openUrl(record, fileName);
    return this.presignedUrl(record, fileName, lifetimeMs, now);
  }

  openUrl(record: FileRecord, fileName: string): string {
    return `${this.origin}${OPEN_PREFIX}${record.sample.uuid}/${encodeURIComponent(fileName)}`;
  }

  /** The DRS "s3" access method URL of an Open Data file. */
  s3Uri(record: FileRecord, fileName: string): string {
    return `s3://${OPEN_BUCKET}/fourfront-webprod/wfoutput/${record.sample.uuid}/${fileName}`;
  }

  presignedUrl(record: FileRecord, fileName: string, lifetimeMs: number, now = Date.now()): string {
    const bucket =
      record.sample.itemType === 'files-fastq'
        ? 'elasticbeanstalk-fourfront-webprod-files'
        : 'elasticbeanstalk-fourfront-webprod-wfoutput';
    const path = `/${bucket}/${record.sample.uuid}/${fileName}`;
    const expires = String(Math.floor(now + lifetimeMs));
    const query = new URLSearchParams({
      AWSAccessKeyId: ACCESS_KEY_ID,
      Expires: expires,
      Signature: this.#sign('GET', path, expires),
    });
    return `${this.origin}/${bucket}/${record.sample.uuid}/${encodeURIComponent(fileName)}?${query}`;
  }

  verify(method: string, object: ObjectPath, query: URLSearchParams, now = Date.now()): Verdict {
    const signature = query.get('Signature');
    const expires = query.get('Expires');
    if (!signature || !expires || !query.get('AWSAccessKeyId')) return 'missing';
    const expected = Buffer.from(this.#sign(method, object.path, expires));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return 'bad-signature';
    return Number(expires) <= now ? 'expired' : 'ok';
  }

  #sign(method: string, path: string, expires: string): string {
    return createHmac('sha256', this.#secret).update(`${method}\n${path}\n${expires}`).digest('base64url');
  }
}

/** Splits a storage request path into bucket kind, uuid and file name; undefined if it is no object path. */
export function parseObjectPath(segments: string[]): ObjectPath | undefined {
  if (segments.length < 3) return undefined;
  const fileName = segments.at(-1) as string;
  const uuid = segments.at(-2) as string;
  const path = `/${segments.join('/')}`;
  if (path.startsWith(OPEN_PREFIX) && segments.length === 5) return { uuid, fileName, open: true, path };
  if (segments.length === 3 && segments[0]?.startsWith('elasticbeanstalk-fourfront-webprod-'))
    return { uuid, fileName, open: false, path };
  return undefined;
}
