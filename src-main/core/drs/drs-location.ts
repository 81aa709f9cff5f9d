import { AppError } from '../../../src-shared/domain/errors.ts';
import type { ParsedId } from '../../../src-shared/domain/ids.ts';
import { echoInput, parseId } from '../../../src-shared/ids/ids.ts';
import { encodeSegment } from '../../../src-shared/ids/url.ts';
import { originOf } from '../http/credentials.ts';

export const DRS_PATH = '/ga4gh/drs/v1';

/** Where an id's DRS object lives: the server's DRS base URL and the object id to ask it for. */
export interface DrsLocation {
  drsBase: string;
  objectId: string;
}

/** Parses what a user typed; anything the parser cannot place is an 'unsupported-id' with its reason. */
export function toParsedId(input: string | ParsedId): ParsedId {
  if (typeof input !== 'string') return input;
  const parsed = parseId(input.trim());
  if (!parsed.ok) throw new AppError('unsupported-id', `${echoInput(input.trim())}: ${parsed.reason}`);
  return parsed.id;
}

/** A readable form of a parsed id, for results and messages. */
export function idText(id: ParsedId): string {
  switch (id.kind) {
    case 'accession':
      return id.accession;
    case 'drs-uri':
      return `drs://${id.host}/${id.objectId}`;
    case 'drs-url':
      return `${id.drsBase}/objects/${id.objectId}`;
    case 'portal-item':
      return `${id.origin}${id.path}`;
    case 'download-url':
      return id.url;
  }
}

/**
 * Accessions go to the profile's server; portal and @@download URLs to their own origin's DRS, by accession.
 */
export function drsLocation(id: ParsedId, defaultServer: string): DrsLocation {
  const server = originOf(defaultServer) ?? defaultServer.replace(/\/+$/, '');
  switch (id.kind) {
    case 'accession':
      return { drsBase: `${server}${DRS_PATH}`, objectId: id.accession };
    case 'drs-uri':
    case 'drs-url':
      return { drsBase: id.drsBase.replace(/\/+$/, ''), objectId: id.objectId };
    case 'portal-item':
    case 'download-url':
      return { drsBase: `${id.origin}${DRS_PATH}`, objectId: id.accession };
  }
}

/** Object ids may hold "/" (some servers use paths): each segment is encoded, the slashes kept. */
export function encodeObjectId(objectId: string): string {
  return objectId.split('/').map(encodeSegment).join('/');
}

export function objectUrl(location: DrsLocation): string {
  return `${location.drsBase}/objects/${encodeObjectId(location.objectId)}`;
}

/** The portal origin behind a DRS base of the 4DN form (<origin>/ga4gh/drs/v1), if it is one. */
export function portalOriginOf(drsBase: string): string | undefined {
  return drsBase.endsWith(DRS_PATH) ? originOf(drsBase) : undefined;
}

/** drs://host/id, the form users copy, when the server keeps DRS at the standard path. */
export function drsUriOf(object: { id: string; selfUri: string; drsBase: string }): string {
  const origin = portalOriginOf(object.drsBase);
  return origin ? `drs://${new URL(origin).host}/${object.id}` : object.selfUri;
}
