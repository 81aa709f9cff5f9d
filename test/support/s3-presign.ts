import { createHmac } from 'node:crypto';

/** encodeURIComponent plus the characters RFC 3986 reserves that it leaves alone, as S3 canonicalises keys. */
const rfc3986 = (text: string) =>
  encodeURIComponent(text).replace(/[!'()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);

/**
 * An S3 signature-v2 presigned GET URL (query-string authentication): HMAC-SHA1 over the method, the expiry
 * and the canonical resource, including any `response-*` overrides, which v2 signs unencoded.
 */
export function presignV2(options: {
  endpoint: string;
  bucket: string;
  key: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Epoch seconds. */
  expires: number;
  overrides?: Record<string, string>;
}): string {
  const resource = `/${[options.bucket, ...options.key.split('/')].map(rfc3986).join('/')}`;
  const overrides = options.overrides ?? {};
  const signedQuery = Object.entries(overrides)
    .map(([name, value]) => `${name}=${value}`)
    .sort()
    .join('&');
  const stringToSign = [
    'GET',
    '',
    '',
    String(options.expires),
    signedQuery ? `${resource}?${signedQuery}` : resource,
  ].join('\n');
  const signature = createHmac('sha1', options.secretAccessKey).update(stringToSign).digest('base64');
  const query = new URLSearchParams({
    AWSAccessKeyId: options.accessKeyId,
    Expires: String(options.expires),
    Signature: signature,
    ...overrides,
  });
  return `${options.endpoint}${resource}?${query.toString()}`;
}
