import type { AccessMethod } from './domain/drs.ts';

/**
 * How an object's access methods will be tried, in order. Shared by the engine (which tries them) and the UI
 * (which shows each method and which one will be used), so both tell the same story:
 * 1. a method whose access_url is already http(s): used as is (type https before the legacy http);
 * 2. a method with an access_id, whatever its type (s3, gs, https, ...): `/access/{access_id}` is asked, and
 *    its answer used when that is http(s) (type https first, then the server's order);
 * 3. anything else cannot be fetched by this app: `reason` says why and what would be needed.
 */
export type AccessStep =
  | { kind: 'direct'; method: AccessMethod; url: string }
  | { kind: 'access-id'; method: AccessMethod; accessId: string }
  | { kind: 'unusable'; method: AccessMethod; reason: string };

const WEB_SCHEMES = new Set(['https:', 'http:']);

/** True for http(s) URLs, the only ones this app fetches. */
export function isWebUrl(url: string): boolean {
  try {
    return WEB_SCHEMES.has(new URL(url).protocol);
  } catch {
    return false;
  }
}

const byType = (type: string) => (type === 'https' ? 0 : type === 'http' ? 1 : 2);

export function accessPlan(methods: readonly AccessMethod[]): AccessStep[] {
  const direct: AccessStep[] = [];
  const viaId: AccessStep[] = [];
  const unusable: AccessStep[] = [];
  for (const method of methods) {
    const url = method.accessUrl?.url;
    if (url !== undefined && isWebUrl(url)) direct.push({ kind: 'direct', method, url });
    else if (method.accessId !== undefined)
      viaId.push({ kind: 'access-id', method, accessId: method.accessId });
    else unusable.push({ kind: 'unusable', method, reason: unusableReason(method.type, url) });
  }
  // Array.prototype.sort is stable: the server's order is kept within a rank.
  const rank = (a: AccessStep, b: AccessStep) => byType(a.method.type) - byType(b.method.type);
  return [...direct.sort(rank), ...viaId.sort(rank), ...unusable];
}

/** What fetching each non-web access type would take; this app downloads over http(s) only. */
const NEEDS: Record<string, string> = {
  s3: 'an S3 client with AWS credentials for that bucket (for example `aws s3 cp`)',
  gs: 'a Google Cloud Storage client with Google credentials (for example `gcloud storage cp`)',
  ftp: 'an FTP client',
  gsiftp: 'a GridFTP client',
  globus: 'a Globus transfer',
  htsget: 'an htsget client',
  file: "access to the server's own file system",
};

/** Why a method (or the URL its access_id answered) cannot be used, naming its type and what would be needed. */
export function unusableReason(type: string, url?: string): string {
  const where = url ? ` (${url.slice(0, 200)})` : ' without a URL or access id';
  const scheme = url ? /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase() : undefined;
  const needs = NEEDS[scheme ?? ''] ?? NEEDS[type] ?? `a client for "${type}" access`;
  return `${type}${where} would need ${needs}; this app downloads over https only`;
}

/** One line per access method for people (details pane, `4dn-dl info`), in the order they will be tried. */
export interface AccessLine {
  type: string;
  where: string;
  /** 'used' for the first usable method, 'fallback' for later usable ones, 'unusable' with the reason. */
  role: 'used' | 'fallback' | 'unusable';
  note: string;
}

export function accessLines(methods: readonly AccessMethod[]): AccessLine[] {
  let first = true;
  return accessPlan(methods).map((step) => {
    const type = step.method.type;
    if (step.kind === 'unusable') {
      const where = step.method.accessUrl?.url ?? 'no URL';
      return { type, where, role: 'unusable', note: `not usable: ${step.reason}` };
    }
    const where = step.kind === 'direct' ? step.url : `access id "${step.accessId}"`;
    const how = step.kind === 'direct' ? 'its URL' : 'the URL its access id answers, when that is https';
    const role = first ? 'used' : 'fallback';
    const note = first ? `will be used: ${how}` : `tried next: ${how}`;
    first = false;
    return { type, where, role, note };
  });
}

/** The method that will be tried first, in a few words ("https URL", 's3 access id "s3"'), for previews. */
export function firstAccess(methods: readonly AccessMethod[]): string | undefined {
  const step = accessPlan(methods).find((one) => one.kind !== 'unusable');
  if (!step) return undefined;
  return step.kind === 'direct'
    ? `${step.method.type} URL`
    : `${step.method.type} access id "${step.accessId}"`;
}
