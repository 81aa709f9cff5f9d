import type { AccessMethod, AccessUrl, BundleEntry, DrsObject } from '../../../src-shared/domain/drs.ts';
import { AppError } from '../../../src-shared/domain/errors.ts';
import { plainText } from '../../../src-shared/plain-text.ts';
import { hostOf } from '../http/credentials.ts';
import { normaliseChecksums } from './checksums.ts';

type Json = Record<string, unknown>;

const isRecord = (value: unknown): value is Json =>
  value !== null && typeof value === 'object' && !Array.isArray(value);
const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? plainText(value) : undefined;
const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string').map(plainText) : [];

/**
 * Any server's DRS object as one shape: the 4DN current shape (id = accession), the legacy shape
 * (id = "/files-processed/ACC/" with drs_id = ACC; we use drs_id so /access calls and drs:// URIs work),
 * and GA4GH 1.x objects, bundles included. `raw` keeps the JSON as received.
 */
export function normaliseDrsObject(raw: unknown, drsBase: string): DrsObject {
  if (!isRecord(raw) || text(raw.id) === undefined) {
    throw new AppError('bad-response', `${hostOf(drsBase)} sent a DRS object without an id.`);
  }
  const rawId = plainText(raw.id as string);
  const drsId = text(raw.drs_id);
  const id = drsId !== undefined && rawId.startsWith('/') ? drsId : rawId;
  const object: DrsObject = {
    id,
    selfUri: text(raw.self_uri) ?? `drs://${hostOf(drsBase)}/${id}`,
    drsBase,
    size: sizeOf(raw.size),
    checksums: normaliseChecksums(raw.checksums),
    aliases: strings(raw.aliases),
    accessMethods: Array.isArray(raw.access_methods) ? raw.access_methods.flatMap(accessMethod) : [],
    raw,
  };
  const optional = {
    name: text(raw.name),
    createdTime: text(raw.created_time),
    updatedTime: text(raw.updated_time),
    description: text(raw.description),
    mimeType: text(raw.mime_type),
  };
  for (const [key, value] of Object.entries(optional))
    if (value !== undefined) Object.assign(object, { [key]: value });
  if (Array.isArray(raw.contents)) object.contents = raw.contents.flatMap(bundleEntry);
  return object;
}

function sizeOf(value: unknown): number {
  const number = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  return typeof number === 'number' && Number.isFinite(number) && number >= 0 ? Math.trunc(number) : 0;
}

function accessMethod(value: unknown): AccessMethod[] {
  if (!isRecord(value) || text(value.type) === undefined) return [];
  const method: AccessMethod = { type: (value.type as string).toLowerCase() };
  const accessId = text(value.access_id);
  const accessUrl = accessUrlOf(value.access_url);
  const region = text(value.region);
  if (accessId !== undefined) method.accessId = accessId;
  if (accessUrl !== undefined) method.accessUrl = accessUrl;
  if (region !== undefined) method.region = region;
  return [method];
}

/** An AccessURL: `{url, headers: ["Name: value"]}`; some servers send a bare string or a header map. */
export function accessUrlOf(value: unknown): AccessUrl | undefined {
  if (typeof value === 'string') return value ? { url: plainText(value), headers: [] } : undefined;
  if (!isRecord(value) || text(value.url) === undefined) return undefined;
  const headers = Array.isArray(value.headers)
    ? strings(value.headers)
    : isRecord(value.headers)
      ? Object.entries(value.headers)
          .filter(([, v]) => typeof v === 'string')
          .map(([name, v]) => `${name}: ${v as string}`)
      : [];
  return { url: text(value.url) as string, headers };
}

function bundleEntry(value: unknown): BundleEntry[] {
  if (!isRecord(value)) return [];
  const entry: BundleEntry = {
    name: text(value.name) ?? text(value.id) ?? '',
    drsUris: typeof value.drs_uri === 'string' ? [value.drs_uri] : strings(value.drs_uri),
    contents: Array.isArray(value.contents) ? value.contents.flatMap(bundleEntry) : [],
  };
  const id = text(value.id);
  if (id !== undefined) entry.id = id;
  return [entry];
}

/** AccessURL headers (["Name: value"]) as a record; malformed lines are dropped. */
export function headerRecord(lines: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim();
    if (/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) out[name] = line.slice(colon + 1).trim();
  }
  return out;
}
