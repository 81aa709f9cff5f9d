import type { Facet, PortalFile, SearchQuery } from '../../../src-shared/domain/portal.ts';
import { plainText } from '../../../src-shared/plain-text.ts';

type Json = Record<string, unknown>;
const isRecord = (value: unknown): value is Json =>
  value !== null && typeof value === 'object' && !Array.isArray(value);
const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== ''
    ? plainText(value)
    : typeof value === 'number'
      ? String(value)
      : undefined;

/** A linked item's name: embedded objects carry display_title, unembedded links are "@id" paths. */
function label(value: unknown): string | undefined {
  if (Array.isArray(value)) return label(value[0]);
  if (isRecord(value)) return text(value.display_title) ?? text(value.title) ?? text(value.name);
  return text(value);
}

/** `file_format` is an object with `file_format`, or a link such as "/file-formats/pairs/". */
function fileFormat(value: unknown): string | undefined {
  if (isRecord(value)) return text(value.file_format) ?? text(value.display_title);
  const link = text(value);
  return link?.replace(/\/+$/, '').split('/').pop() || undefined;
}

export function toPortalFile(item: Json, origin: string): PortalFile {
  const atId = text(item['@id']) ?? '';
  const facetInfo = isRecord(item.track_and_facet_info) ? item.track_and_facet_info : {};
  const experiment = Array.isArray(item.experiments) ? item.experiments[0] : undefined;
  const file: PortalFile = {
    accession: text(item.accession) ?? atId.split('/').filter(Boolean).pop() ?? '',
    uuid: text(item.uuid) ?? '',
    atId,
    type: Array.isArray(item['@type'])
      ? item['@type'].filter((t): t is string => typeof t === 'string').map(plainText)
      : [],
    displayTitle: text(item.display_title) ?? text(item.accession) ?? atId,
    url: `${origin}${atId}`,
  };
  const optional: Partial<PortalFile> = {
    href: text(item.href),
    fileFormat: fileFormat(item.file_format),
    fileType: text(item.file_type),
    fileSize: typeof item.file_size === 'number' ? item.file_size : undefined,
    md5sum: text(item.md5sum),
    status: text(item.status),
    dateCreated: text(item.date_created),
    description: text(item.description),
    experimentType:
      label(facetInfo.experiment_type) ??
      (isRecord(experiment) ? label(experiment.experiment_type) : undefined),
    biosource: label(facetInfo.biosource_name) ?? label(item.biosource),
    lab: label(item.lab) ?? label(facetInfo.lab_name),
  };
  for (const [key, value] of Object.entries(optional))
    if (value !== undefined) Object.assign(file, { [key]: value });
  return file;
}

/** Term facets; range (stats) facets without terms are left out. */
export function toFacets(raw: unknown): Facet[] {
  if (!Array.isArray(raw)) return [];
  const facets: Facet[] = [];
  for (const facet of raw) {
    if (!isRecord(facet) || typeof facet.field !== 'string' || !Array.isArray(facet.terms)) continue;
    const terms = facet.terms.flatMap((term) => {
      if (!isRecord(term)) return [];
      const key = text(term.key_as_string) ?? text(term.key);
      const count = typeof term.doc_count === 'number' ? term.doc_count : 0;
      return key === undefined ? [] : [{ key, count }];
    });
    facets.push({ field: plainText(facet.field), title: text(facet.title) ?? facet.field, terms });
  }
  return facets;
}

/**
 * The /search/ query string. Built by hand: the portal reads `field!=value` for negation, and
 * encodeURIComponent leaves `!` alone where URLSearchParams would escape it.
 */
export function searchQueryString(
  query: SearchQuery,
  defaults: { sort?: string; limit?: number } = {},
): string {
  const params: string[] = [];
  const add = (key: string, value: string, negate = false) =>
    params.push(`${encodeURIComponent(key)}${negate ? '!' : ''}=${encodeURIComponent(value)}`);
  // The Data Type facet's terms are item types: ticked, they are the search's `type` (repeated types OR), in
  // place of the default File, which would otherwise match every file and make the tick do nothing.
  const typeFilters = (query.filters ?? []).filter((f) => f.field === 'type' && f.negate !== true);
  const types = query.types?.length ? query.types : typeFilters.map((f) => f.value);
  for (const type of types.length ? types : ['File']) add('type', type);
  if (query.query?.trim()) add('q', query.query.trim());
  for (const filter of query.filters ?? []) {
    if (typeFilters.includes(filter) && !query.types?.length) continue;
    add(filter.field, filter.value, filter.negate === true);
  }
  add('from', String(query.from ?? 0));
  add('limit', String(query.limit ?? defaults.limit ?? 25));
  const sort = query.sort ?? defaults.sort;
  if (sort) add('sort', sort);
  return params.join('&');
}
