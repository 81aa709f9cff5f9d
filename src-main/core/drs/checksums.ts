import type { Checksum } from '../../../src-shared/domain/drs.ts';

/** Server spellings of checksum types, mapped to the DRS names. */
const TYPE_ALIASES: Record<string, string> = {
  md5: 'md5',
  md5sum: 'md5',
  sha1: 'sha-1',
  'sha-1': 'sha-1',
  sha256: 'sha-256',
  'sha-256': 'sha-256',
  sha2: 'sha-256',
  sha512: 'sha-512',
  'sha-512': 'sha-512',
  etag: 'etag',
  crc32c: 'crc32c',
  'crc-32c': 'crc32c',
  trunc512: 'trunc512',
};

/** Digest length in bytes per type, so hex and base64 forms can be told apart and decoded. */
const DIGEST_BYTES: Record<string, number> = {
  md5: 16,
  'sha-1': 20,
  'sha-256': 32,
  'sha-512': 64,
  crc32c: 4,
  trunc512: 24,
};

export function normaliseChecksumType(type: string): string {
  const key = type.trim().toLowerCase().replace(/_/g, '-');
  return TYPE_ALIASES[key] ?? TYPE_ALIASES[key.replace(/-/g, '')] ?? key;
}

/** Lower-case hex when the value is hex or base64 of the right length for its type; otherwise as given. */
export function normaliseChecksumValue(type: string, value: string): string {
  const text = value.trim();
  const bytes = DIGEST_BYTES[type];
  if (type === 'etag') {
    const unquoted = text.replace(/^W\//, '').replace(/^"(.*)"$/, '$1');
    return /^[0-9a-f]+(-\d+)?$/i.test(unquoted) ? unquoted.toLowerCase() : unquoted;
  }
  if (bytes === undefined) return text;
  if (text.length === bytes * 2 && /^[0-9a-f]+$/i.test(text)) return text.toLowerCase();
  if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(text)) {
    const decoded = Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    if (
      decoded.length === bytes &&
      decoded.toString('base64').replace(/=+$/, '') ===
        text.replace(/-/g, '+').replace(/_/g, '/').replace(/=+$/, '')
    ) {
      return decoded.toString('hex');
    }
  }
  return text;
}

export function normaliseChecksum(type: string, value: string): Checksum {
  const normalType = normaliseChecksumType(type);
  return { type: normalType, value: normaliseChecksumValue(normalType, value) };
}

/** DRS `checksums` as sent by any server; entries that are not {type, checksum} strings are skipped. */
export function normaliseChecksums(raw: unknown): Checksum[] {
  if (!Array.isArray(raw)) return [];
  const out: Checksum[] = [];
  for (const entry of raw) {
    if (entry === null || typeof entry !== 'object') continue;
    const { type, checksum } = entry as { type?: unknown; checksum?: unknown };
    if (typeof type !== 'string' || typeof checksum !== 'string' || checksum.trim() === '') continue;
    const normal = normaliseChecksum(type, checksum);
    if (!out.some((seen) => seen.type === normal.type && seen.value === normal.value)) out.push(normal);
  }
  return out;
}
