import type { FileRecord } from './catalog.ts';
import { md5sReady, type PortalContext } from './context.ts';
import { portalErrorBody } from './http-util.ts';
import { fileItem, setItem } from './item-json.ts';
import {
  type Filters,
  matchesFilters,
  matchesText,
  parseFilters,
  pickFields,
  RESERVED,
  sortItems,
  valuesAt,
} from './search-filters.ts';

type Json = Record<string, unknown>;

/** Types the portal knows; some have no items here and simply find nothing. */
const KNOWN_TYPES = new Set([
  'Item',
  'File',
  'FileProcessed',
  'FileFastq',
  'FileReference',
  'FileFasta',
  'FileMicroscopy',
  'FileCalibration',
  'FileVistrack',
  'ExperimentSet',
  'ExperimentSetReplicate',
  'Experiment',
  'ExperimentHiC',
  'ExperimentSeq',
  'ExperimentAtacseq',
  'Biosample',
  'Biosource',
  'Lab',
  'Award',
  'FileFormat',
  'Publication',
  'User',
]);

const FACETS: Array<[string, string]> = [
  ['type', 'Data Type'],
  ['file_format.file_format', 'File Format'],
  ['file_type', 'File Type'],
  ['track_and_facet_info.experiment_type', 'Experiment Type'],
  ['track_and_facet_info.biosource_name', 'Biosource'],
  ['lab.display_title', 'Lab'],
  ['status', 'Status'],
];

const MAX_WINDOW = 100_000;

export interface SearchItem {
  json: Json;
  record?: FileRecord;
}

export type Found =
  | {
      ok: true;
      items: SearchItem[];
      /** Items of the types and free text before the filters: facet counts are taken from these. */
      unfiltered: SearchItem[];
      types: string[];
      filters: Filters;
    }
  | { ok: false; error: Json };

/** Items matching the query's types, free text and filters (not yet sorted or paged). */
export async function findItems(
  ctx: PortalContext,
  params: URLSearchParams,
  options: { defaultType?: string; reserved?: Set<string> } = {},
): Promise<Found> {
  const types = params.getAll('type');
  for (const type of types)
    if (!KNOWN_TYPES.has(type))
      return { ok: false, error: portalErrorBody(400, undefined, `Invalid type: ${type}`) };
  const wanted = types.length > 0 ? types : [options.defaultType ?? 'Item'];
  await md5sReady(ctx.catalog.records);
  const all: SearchItem[] = [
    ...ctx.catalog.records.map((record) => ({ json: fileItem(ctx, record), record })),
    ...ctx.catalog.sets.map((set) => ({ json: setItem(ctx, set) })),
  ];
  const filters = parseFilters(params, options.reserved ?? RESERVED);
  const q = params.get('q') ?? params.get('searchTerm');
  const unfiltered = all.filter(
    ({ json }) => wanted.some((type) => (json['@type'] as string[]).includes(type)) && matchesText(json, q),
  );
  const items = unfiltered.filter(({ json }) => matchesFilters(json, filters));
  return { ok: true, items, unfiltered, types: wanted, filters };
}

/** `GET /search/`: status 200 with results, 404 with the same body when nothing matched, 400 on bad input. */
export async function runSearch(
  ctx: PortalContext,
  params: URLSearchParams,
): Promise<{ status: number; body: Json }> {
  const found = await findItems(ctx, params);
  if (!found.ok) return { status: 400, body: found.error };
  const from = params.get('from') ?? '0';
  const limit = params.get('limit') ?? '25';
  const start = Number(from);
  const size = limit === 'all' ? Number.POSITIVE_INFINITY : Number(limit);
  if (!Number.isInteger(start) || start < 0 || !(limit === 'all' || (Number.isInteger(size) && size >= 0)))
    return {
      status: 400,
      body: portalErrorBody(400, undefined, 'from and limit must be non-negative integers'),
    };
  if (limit !== 'all' && start + size > MAX_WINDOW)
    return {
      status: 400,
      body: portalErrorBody(400, undefined, `from + limit must be at most ${MAX_WINDOW}`),
    };
  const sorts = params.getAll('sort').filter(Boolean);
  const sorted = sortItems(
    found.items.map((item) => item.json),
    sorts.length > 0 ? sorts : ['-date_created'],
  );
  const fields = params.getAll('field').filter(Boolean);
  const page = sorted
    .slice(start, start + size)
    .map((item) => (fields.length > 0 ? pickFields(item, fields) : item));
  const total = sorted.length;
  const query = params.toString();
  const body: Json = {
    '@context': '/terms/',
    '@id': `/search/?${query}`,
    '@type': ['Search'],
    title: 'Search',
    '@graph': page,
    total,
    facets: facetsOf(
      found.unfiltered.map((item) => item.json),
      found.filters,
    ),
    filters: filtersOf(params),
    sort: Object.fromEntries(
      (sorts.length > 0 ? sorts : ['-date_created']).map((sort) => [
        sort.replace(/^-/, ''),
        { order: sort.startsWith('-') ? 'desc' : 'asc' },
      ]),
    ),
    clear_filters: `/search/?type=${encodeURIComponent(found.types[0] ?? 'Item')}`,
    notification: total === 0 ? 'No results found' : 'Success',
  };
  return { status: total === 0 ? 404 : 200, body };
}

/**
 * Facet counts as the portal's search takes them (snovault's set_facets): each facet over the results of
 * every filter except its own field's, so after ticking `hic` the File Format facet still offers `mcool`
 * (repeating a field ORs its values). The type facet keeps the type filter, as the portal does.
 */
function facetsOf(unfiltered: Json[], filters: Filters): Json[] {
  const facets: Json[] = [];
  for (const [field, title] of FACETS) {
    const others = withoutField(filters, field);
    const items = unfiltered.filter((item) => matchesFilters(item, others));
    const counts = new Map<string, number>();
    let total = 0;
    for (const item of items) {
      const values = new Set(valuesAt(item, field === 'type' ? '@type' : field));
      if (field === 'type') values.delete('Item');
      if (values.size > 0) total++;
      for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
    }
    if (counts.size === 0) continue;
    const terms = [...counts]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .map(([key, doc_count]) => ({ key, doc_count }));
    facets.push({ field, title, total, terms });
  }
  return facets;
}

function withoutField(filters: Filters, field: string): Filters {
  const drop = <V>(map: Map<string, V>) => new Map([...map].filter(([key]) => key !== field));
  return { include: drop(filters.include), exclude: drop(filters.exclude), ranges: drop(filters.ranges) };
}

/** The applied filters, each with the search URL that drops it. */
function filtersOf(params: URLSearchParams): Json[] {
  const skip = new Set(['q', 'searchTerm', 'from', 'limit', 'sort', 'field', 'format', 'frame']);
  const entries = [...params];
  const pairs = entries.filter(([key]) => !skip.has(key));
  return pairs.map(([field, term], index) => {
    const rest = new URLSearchParams(entries.filter((pair) => pair !== pairs[index]));
    return { field, term, remove: `/search/?${rest}` };
  });
}
