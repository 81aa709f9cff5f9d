import type { Checksum, DrsObject } from '../../../src-shared/domain/drs.ts';
import { AppError } from '../../../src-shared/domain/errors.ts';
import type { ParsedId } from '../../../src-shared/domain/ids.ts';
import { isFileAccession } from '../../../src-shared/ids/ids.ts';
import type { BundlePlan, TargetHints } from '../downloads/job/source.ts';
import type { Credentials } from '../http/credentials.ts';
import { HttpClient } from '../http/http-client.ts';
import { expandBundle } from './bundle.ts';
import { DrsClient } from './drs-client.ts';
import { type DrsLocation, drsUriOf, idText, portalOriginOf, toParsedId } from './drs-location.ts';
import {
  assertDownloadable,
  fileNameFromUrl,
  type ItemFile,
  mainItemFile,
  namedItemFile,
} from './item-files.ts';
import { PortalClient } from './portal-client.ts';
import { type FetchTarget, resolvePortalDownload } from './portal-download.ts';

export interface DownloadTarget {
  /** What the user gave. */
  input: string;
  id: ParsedId;
  /** When resolved through DRS. */
  drsObject?: DrsObject;
  /** Best-known `<ACC>.<ext>`: the @@download name, else the access URL's basename, else the DRS name. */
  fileName: string;
  /** Undefined when unknown (a DRS size of 0 means unknown). */
  size?: number;
  /** Normalised; may be empty. */
  checksums: Checksum[];
  /** drs://host/id, for "Copy DRS URI". */
  drsUri?: string;
  /** A portal @@download URL to hop through for the bytes, when access does not go through DRS. */
  downloadUrl?: string;
  /** When the object is a bundle: its files, to be queued under a folder named after it. */
  bundle?: BundlePlan;
  /** Built from the list's md5 and size alone (no DRS lookup). */
  fromHints?: boolean;
}

export interface DownloadSource {
  /** Throws AppError. */
  target(
    input: string | ParsedId,
    options?: { signal?: AbortSignal; hints?: TargetHints },
  ): Promise<DownloadTarget>;
  /** Called before EVERY start and resume: storage URLs expire, so nothing here is cached. */
  freshUrl(target: DownloadTarget, options?: { signal?: AbortSignal }): Promise<FetchTarget>;
}

export interface DownloadSourceOptions {
  /** The profile's portal origin: where bare accessions resolve. */
  server: string;
  credentials?: Credentials | undefined;
  version?: string;
  sleep?: (ms: number) => Promise<void>;
  /** Share one HTTP setup with other clients (its credentials are then used instead). */
  http?: HttpClient;
}

export function createDownloadSource(options: DownloadSourceOptions): DownloadSource {
  const http =
    options.http ??
    new HttpClient({ credentials: options.credentials, version: options.version, sleep: options.sleep });
  return new PortalDownloadSource(http, options.server);
}

/**
 * Decides, per id, where a file's metadata comes from (DRS, else the portal item) and how its bytes are
 * reached (DRS access, or the portal's @@download for named and extra files).
 */
class PortalDownloadSource implements DownloadSource {
  private readonly http: HttpClient;
  private readonly drs: DrsClient;
  private readonly portals = new Map<string, PortalClient>();

  constructor(http: HttpClient, server: string) {
    this.http = http;
    this.drs = new DrsClient({ http, defaultServer: server });
  }

  async target(
    input: string | ParsedId,
    options: { signal?: AbortSignal; hints?: TargetHints } = {},
  ): Promise<DownloadTarget> {
    const id = toParsedId(input);
    const base = { input: typeof input === 'string' ? input.trim() : idText(id), id };
    const hinted = hintedTarget(base, options.hints);
    if (hinted) return hinted;
    const location = this.drs.locate(id);
    const portalOrigin =
      id.kind === 'download-url' || id.kind === 'portal-item' ? id.origin : portalOriginOf(location.drsBase);
    const accession = accessionOf(id, location);
    const object = await this.tryDrs(
      location,
      options.signal,
      portalOrigin !== undefined && accession !== undefined,
    );

    if (object?.contents) {
      const bundle = await expandBundle(this.drs, object, {
        nameOf: (member) => this.mainNameFromDrs(member) ?? member.name ?? member.id,
        ...(options.signal ? { signal: options.signal } : {}),
      });
      return { ...this.fromDrs(base, object, undefined, `${bundle.folder}/`), bundle };
    }
    if (id.kind === 'download-url' && id.fileName !== undefined) {
      // A named @@download may be an extra file, which DRS does not describe: the item JSON does.
      if (object && this.mainNameFromDrs(object) === id.fileName) return this.fromDrs(base, object, id.url);
      const item = await this.portal(id.origin).item(id.accession, options);
      const file = namedItemFile(item, id.accession, id.origin, id.fileName);
      const isMain = typeof item.href === 'string' && fileNameFromUrl(item.href) === id.fileName;
      return object && isMain
        ? this.fromDrs(base, object, id.url, file.fileName)
        : fromItem(base, file, id.url);
    }
    const downloadUrl = id.kind === 'download-url' ? id.url : undefined;
    if (object) {
      const name =
        this.mainNameFromDrs(object) ?? (await this.nameFromItem(portalOrigin, accession, options.signal));
      return this.fromDrs(base, object, downloadUrl, name);
    }
    if (portalOrigin === undefined || accession === undefined) {
      throw new AppError('not-found', `${base.input} has no DRS object.`);
    }
    // No DRS object (not in Open Data, or restricted): the portal item still describes the file.
    const file = mainItemFile(
      await this.portal(portalOrigin).item(accession, options),
      accession,
      portalOrigin,
    );
    return fromItem(base, file, downloadUrl ?? file.downloadUrl);
  }

  async freshUrl(target: DownloadTarget, options: { signal?: AbortSignal } = {}): Promise<FetchTarget> {
    const what = target.fileName;
    if (target.downloadUrl) return resolvePortalDownload(this.http, target.downloadUrl, what, options);
    if (target.drsObject) return this.drs.accessUrl(target.drsObject, options);
    throw new AppError('internal', `No way to reach the bytes of ${what} was recorded.`);
  }

  /** The DRS object, or undefined when the server has none and the portal item can stand in for it. */
  private async tryDrs(location: DrsLocation, signal: AbortSignal | undefined, itemFallback: boolean) {
    try {
      return await this.drs.fetchObject(location, signal ? { signal } : {});
    } catch (error) {
      if (itemFallback && error instanceof AppError && error.code === 'not-found') return undefined;
      throw error;
    }
  }

  /** The portal's download name is the access URL's basename (Open Data and named @@download URLs). */
  private mainNameFromDrs(object: DrsObject): string | undefined {
    for (const method of object.accessMethods) {
      if ((method.type === 'https' || method.type === 'http') && method.accessUrl) {
        const name = fileNameFromUrl(method.accessUrl.url);
        if (name) return name;
      }
    }
    return undefined;
  }

  /**
   * The download name from the portal item, for objects whose access URL does not carry it (legacy and
   * access-id shapes). Fetching the item also tells us a file is restricted before anything is queued.
   */
  private async nameFromItem(
    origin: string | undefined,
    accession: string | undefined,
    signal?: AbortSignal,
  ) {
    if (origin === undefined || accession === undefined) return undefined;
    let item: Record<string, unknown>;
    try {
      item = await this.portal(origin).item(accession, signal ? { signal } : {});
    } catch {
      return undefined;
    }
    assertDownloadable(item, accession, origin);
    const href = typeof item.href === 'string' ? fileNameFromUrl(item.href) : undefined;
    return href ?? (typeof item.display_title === 'string' ? item.display_title : undefined);
  }

  private fromDrs(
    base: { input: string; id: ParsedId },
    object: DrsObject,
    downloadUrl: string | undefined,
    name?: string,
  ): DownloadTarget {
    const target: DownloadTarget = {
      ...base,
      drsObject: object,
      fileName: name ?? this.mainNameFromDrs(object) ?? object.name ?? object.id,
      checksums: object.checksums,
      drsUri: drsUriOf(object),
    };
    if (object.size > 0) target.size = object.size;
    if (downloadUrl !== undefined) target.downloadUrl = downloadUrl;
    return target;
  }

  private portal(origin: string): PortalClient {
    let client = this.portals.get(origin);
    if (!client) {
      client = new PortalClient({ http: this.http, server: origin });
      this.portals.set(origin, client);
    }
    return client;
  }
}

function fromItem(
  base: { input: string; id: ParsedId },
  file: ItemFile,
  downloadUrl: string,
): DownloadTarget {
  const target: DownloadTarget = { ...base, fileName: file.fileName, checksums: file.checksums, downloadUrl };
  if (file.size !== undefined) target.size = file.size;
  return target;
}

/**
 * A named @@download URL with the list's md5 and size (the portal's metadata TSV carries all three) needs no
 * DRS lookup: the same portal wrote them. The bytes go through that URL; a failure falls back to DRS (JobRun).
 */
function hintedTarget(
  base: { input: string; id: ParsedId },
  hints: TargetHints | undefined,
): DownloadTarget | undefined {
  const { id } = base;
  if (id.kind !== 'download-url' || id.fileName === undefined) return undefined;
  if (hints?.md5 === undefined || hints.size === undefined || hints.size <= 0) return undefined;
  return {
    ...base,
    fileName: id.fileName,
    size: hints.size,
    checksums: [{ type: 'md5', value: hints.md5 }],
    downloadUrl: id.url,
    fromHints: true,
  };
}

/** The file accession behind an id, when it has one (DRS ids on other servers may not). */
function accessionOf(id: ParsedId, location: DrsLocation): string | undefined {
  if (id.kind === 'accession' || id.kind === 'portal-item' || id.kind === 'download-url') return id.accession;
  return isFileAccession(location.objectId) ? location.objectId : undefined;
}
