import type { Checksum } from '../../../src-shared/domain/drs.ts';

/**
 * Server spellings of checksum types, keyed by the spelling without case, dashes, underscores or spaces, mapped
 * to the DRS names. The one table: DRS metadata, the engine's verification and `4dn-dl verify` all read it.
 */
const TYPE_ALIASES: Record<string, string> = {
  md5: 'md5',
  md5sum: 'md5',
  sha1: 'sha-1',
  sha256: 'sha-256',
  sha2: 'sha-256',
  sha512: 'sha-512',
  etag: 'etag',
  crc32c: 'crc32c',
  trunc512: 'trunc512',
};

/** Digest length in bytes per type, so hex and base64 forms can be told apart and decoded. */
export const DIGEST_BYTES: Readonly<Record<string, number>> = {
  md5: 16,
  'sha-1': 20,
  'sha-256': 32,
  'sha-512': 64,
  crc32c: 4,
  trunc512: 24,
};

/** 'SHA256', 'sha_256', 'SHA-256' -> 'sha-256'; 'sha1' -> 'sha-1'; unknown names are only trimmed and lower-cased. */
export function normaliseChecksumType(type: string): string {
  const plain = type.trim().toLowerCase();
  return TYPE_ALIASES[plain.replace(/[-_\s]/g, '')] ?? plain;
}

/** A digest of `bytes` bytes given as hex or canonical base64 (standard or URL-safe), as lower-case hex. */
export function decodeDigest(value: string, bytes: number): string | undefined {
  const text = value.trim();
  if (text.length === bytes * 2 && /^[0-9a-f]+$/i.test(text)) return text.toLowerCase();
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(text)) return undefined;
  const standard = text.replace(/-/g, '+').replace(/_/g, '/');
  const decoded = Buffer.from(standard, 'base64');
  const canonical = decoded.toString('base64').replace(/=+$/, '') === standard.replace(/=+$/, '');
  return decoded.length === bytes && canonical ? decoded.toString('hex') : undefined;
}

/** Lower-case hex when the value is hex or base64 of the right length for its type; otherwise as given. */
export function normaliseChecksumValue(type: string, value: string): string {
  const text = value.trim();
  if (type === 'etag') {
    const unquoted = text.replace(/^W\//, '').replace(/^"(.*)"$/, '$1');
    return /^[0-9a-f]+(-\d+)?$/i.test(unquoted) ? unquoted.toLowerCase() : unquoted;
  }
  const bytes = DIGEST_BYTES[type];
  return (bytes === undefined ? undefined : decodeDigest(text, bytes)) ?? text;
}

/** The checksum as shown and stored: type by the table above, value as lower-case hex where it decodes. */
export function normaliseChecksum(checksum: Checksum): Checksum {
  const type = normaliseChecksumType(checksum.type);
  return { type, value: normaliseChecksumValue(type, checksum.value) };
}

/** DRS `checksums` as sent by any server; entries that are not {type, checksum} strings are skipped. */
export function normaliseChecksums(raw: unknown): Checksum[] {
  if (!Array.isArray(raw)) return [];
  const out: Checksum[] = [];
  for (const entry of raw) {
    if (entry === null || typeof entry !== 'object') continue;
    const { type, checksum } = entry as { type?: unknown; checksum?: unknown };
    if (typeof type !== 'string' || typeof checksum !== 'string' || checksum.trim() === '') continue;
    const normal = normaliseChecksum({ type, value: checksum });
    if (!out.some((seen) => seen.type === normal.type && seen.value === normal.value)) out.push(normal);
  }
  return out;
}
