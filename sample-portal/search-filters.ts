type Json = Record<string, unknown>;

/** Every leaf value at a dotted path, walking through arrays; numbers and booleans as strings. */
export function valuesAt(item: unknown, path: string): string[] {
  let current: unknown[] = [item];
  for (const key of path.split('.')) {
    const next: unknown[] = [];
    for (const value of current) {
      if (Array.isArray(value)) {
        for (const element of value)
          if (element && typeof element === 'object') next.push((element as Json)[key]);
      } else if (value && typeof value === 'object') next.push((value as Json)[key]);
    }
    current = next.flatMap((value) => (Array.isArray(value) ? value : [value]));
  }
  return current
    .filter((value) => value !== undefined && value !== null && value !== '' && typeof value !== 'object')
    .map(String);
}

export interface Filters {
  /** field -> values, any of which may match (repeating a field ORs) */
  include: Map<string, string[]>;
  /** field -> values none of which may match */
  exclude: Map<string, string[]>;
  /** field -> inclusive bounds */
  ranges: Map<string, { from?: string; to?: string }>;
}

/** Query parameters that are not filters. */
export const RESERVED = new Set([
  'type',
  'q',
  'searchTerm',
  'from',
  'limit',
  'sort',
  'field',
  'format',
  'frame',
  'datastore',
  'debug',
  'additional_facet',
]);

export function parseFilters(params: URLSearchParams, reserved = RESERVED): Filters {
  const filters: Filters = { include: new Map(), exclude: new Map(), ranges: new Map() };
  for (const [key, value] of params) {
    if (reserved.has(key)) continue;
    const add = (map: Map<string, string[]>, field: string) =>
      map.set(field, [...(map.get(field) ?? []), value]);
    if (key.endsWith('!')) add(filters.exclude, key.slice(0, -1));
    else if (key.endsWith('.from') || key.endsWith('.to')) {
      const dot = key.lastIndexOf('.');
      const field = key.slice(0, dot);
      const bounds = filters.ranges.get(field) ?? {};
      if (key.endsWith('.from')) bounds.from = value;
      else bounds.to = value;
      filters.ranges.set(field, bounds);
    } else add(filters.include, key);
  }
  return filters;
}

export function matchesFilters(item: Json, filters: Filters): boolean {
  for (const [field, wanted] of filters.include) {
    const values = valuesAt(item, field);
    const ok = wanted.some((term) => (term === 'No value' ? values.length === 0 : values.includes(term)));
    if (!ok) return false;
  }
  for (const [field, unwanted] of filters.exclude) {
    const values = valuesAt(item, field);
    if (unwanted.some((term) => (term === 'No value' ? values.length === 0 : values.includes(term))))
      return false;
  }
  for (const [field, bounds] of filters.ranges) {
    const values = valuesAt(item, field);
    if (!values.some((value) => inRange(value, bounds))) return false;
  }
  return true;
}

function inRange(value: string, bounds: { from?: string; to?: string }): boolean {
  const above = bounds.from === undefined || compareValues(value, bounds.from) >= 0;
  const below = bounds.to === undefined || compareValues(value, bounds.to) <= 0;
  return above && below;
}

/** Numbers as numbers, dates as dates, anything else as text. */
export function compareValues(a: string, b: string): number {
  const na = Number(a);
  const nb = Number(b);
  if (a.trim() !== '' && b.trim() !== '' && Number.isFinite(na) && Number.isFinite(nb)) return na - nb;
  const da = Date.parse(a);
  const db = Date.parse(b);
  if (Number.isFinite(da) && Number.isFinite(db)) return da - db;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Free text: every word must occur in the accession, display title, description or original file name. */
export function matchesText(item: Json, q: string | null): boolean {
  const words = (q ?? '')
    .toLowerCase()
    .split(/\s+/)
    .filter((word) => word !== '' && word !== '*');
  if (words.length === 0) return true;
  const text = ['accession', 'display_title', 'description', 'filename']
    .flatMap((field) => valuesAt(item, field))
    .join(' ')
    .toLowerCase();
  return words.every((word) => text.includes(word));
}

/** Sorts by `field` / `-field` keys in order; items without the field go last either way. */
export function sortItems(items: Json[], sorts: string[]): Json[] {
  const keys = sorts.map((sort) => ({ desc: sort.startsWith('-'), field: sort.replace(/^-/, '') }));
  return [...items].sort((a, b) => {
    for (const { desc, field } of keys) {
      const va = valuesAt(a, field)[0];
      const vb = valuesAt(b, field)[0];
      if (va === undefined && vb === undefined) continue;
      if (va === undefined) return 1;
      if (vb === undefined) return -1;
      const order = compareValues(va, vb);
      if (order !== 0) return desc ? -order : order;
    }
    return String(a['@id']).localeCompare(String(b['@id']));
  });
}

/** `field=` trimming: keep only these paths (plus @id and @type), nested structure preserved. */
export function pickFields(item: Json, paths: string[]): Json {
  const out: Json = { '@id': item['@id'], '@type': item['@type'] };
  for (const path of paths) copyPath(item, out, path.split('.'));
  return out;
}

function copyPath(from: unknown, to: Json, keys: string[]): void {
  const [key, ...rest] = keys;
  if (key === undefined || !from || typeof from !== 'object' || Array.isArray(from)) return;
  const value = (from as Json)[key];
  if (value === undefined) return;
  if (rest.length === 0) {
    to[key] = value;
    return;
  }
  if (Array.isArray(value)) {
    const existing = Array.isArray(to[key]) ? (to[key] as Json[]) : value.map(() => ({}));
    value.forEach((element, i) => {
      copyPath(element, existing[i] as Json, rest);
    });
    to[key] = existing;
  } else if (value && typeof value === 'object') {
    const existing = (to[key] as Json | undefined) ?? {};
    copyPath(value, existing, rest);
    to[key] = existing;
  }
}
