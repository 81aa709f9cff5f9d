import { AppError } from '../../../src-shared/domain/errors.ts';
import type { Facet, PortalFile, SearchPage, SearchQuery } from '../../../src-shared/domain/portal.ts';
import { originOf } from '../http/credentials.ts';
import type { HttpClient } from '../http/http-client.ts';
import { searchQueryString, toFacets, toPortalFile } from './portal-mapping.ts';

export interface PortalClientOptions {
  http: HttpClient;
  /** The portal's origin, e.g. https://data.4dnucleome.org */
  server: string;
}

/** Who a key belongs to, from /session-properties (the cheap credential check). */
export interface SessionProperties {
  email?: string;
  firstName?: string;
  lastName?: string;
  raw: unknown;
}

/** A stable order while paging: pages shift as the index updates, so also de-duplicate by uuid. */
const PAGING_SORT = '-date_created';

/** The 4DN portal's own API: search, items, the metadata TSV and the session. */
export class PortalClient {
  readonly http: HttpClient;
  readonly server: string;

  constructor(options: PortalClientOptions) {
    this.http = options.http;
    this.server = originOf(options.server) ?? options.server.replace(/\/+$/, '');
  }

  async search(query: SearchQuery, options: { signal?: AbortSignal } = {}): Promise<SearchPage> {
    const response = await this.http.request(`${this.server}/search/?${searchQueryString(query)}`, {
      what: 'the search',
      ...(options.signal ? { signal: options.signal } : {}),
    });
    // Zero results come back as 404 with the ordinary search body: an empty page, not an error.
    const data = response.status === 404 ? this.tryJson(response.body) : undefined;
    if (response.status === 404 && !Array.isArray(data?.['@graph']))
      throw this.http.fail(response, 'the search');
    if (response.status !== 404 && (response.status < 200 || response.status >= 300)) {
      throw this.http.fail(response, 'the search');
    }
    const body = (data ?? this.http.parseJson(response, 'the search')) as Record<string, unknown> | null;
    if (!body || !Array.isArray(body['@graph'])) {
      throw new AppError(
        'bad-response',
        `${new URL(this.server).host} sent a search answer without results.`,
      );
    }
    const items = body['@graph']
      .filter((item): item is Record<string, unknown> => item !== null && typeof item === 'object')
      .map((item) => toPortalFile(item, this.server));
    const total = typeof body.total === 'number' ? body.total : items.length;
    return { items, total, facets: toFacets(body.facets) };
  }

  /** Every match, page by page in a fixed order, each file once. */
  async searchAll(
    query: SearchQuery,
    options: { pageSize?: number; max?: number; signal?: AbortSignal } = {},
  ): Promise<PortalFile[]> {
    const pageSize = options.pageSize ?? 100;
    const max = options.max ?? Number.POSITIVE_INFINITY;
    const seen = new Set<string>();
    const files: PortalFile[] = [];
    for (let from = query.from ?? 0; files.length < max; from += pageSize) {
      const page = await this.search(
        { ...query, from, limit: pageSize, sort: PAGING_SORT },
        options.signal ? { signal: options.signal } : {},
      );
      for (const file of page.items) {
        const key = file.uuid || file.atId;
        if (seen.has(key) || files.length >= max) continue;
        seen.add(key);
        files.push(file);
      }
      if (page.items.length < pageSize || from + pageSize >= page.total) break;
    }
    return files;
  }

  async facets(types?: string[]): Promise<Facet[]> {
    const page = await this.search({ ...(types?.length ? { types } : {}), limit: 1 });
    return page.facets;
  }

  /** An item's JSON by accession (the portal answers /ACC/ with a 301 to its canonical path). */
  async item(accession: string, options: { signal?: AbortSignal } = {}): Promise<Record<string, unknown>> {
    const response = await this.http.json(`${this.server}/${encodeURIComponent(accession)}/`, {
      what: `item ${accession}`,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const data = response.data;
    if (data === null || typeof data !== 'object' || Array.isArray(data)) {
      throw new AppError('bad-response', `${new URL(this.server).host} sent no item for ${accession}.`);
    }
    return data as Record<string, unknown>;
  }

  /** The portal's metadata TSV (the "Download" button's file) for these files. */
  async metadataTsv(accessions: readonly string[]): Promise<string> {
    const query = ['type=File', ...accessions.map((acc) => `accession=${encodeURIComponent(acc)}`)].join('&');
    const response = await this.http.request(`${this.server}/metadata/?${query}`, {
      accept: 'text/tab-separated-values, text/plain, */*',
      what: 'the metadata TSV',
    });
    if (response.status < 200 || response.status >= 300) throw this.http.fail(response, 'the metadata TSV');
    return response.body.toString('utf8');
  }

  async sessionProperties(): Promise<SessionProperties> {
    const response = await this.http.json(`${this.server}/session-properties`, { what: 'the session' });
    const data = (response.data ?? {}) as Record<string, unknown>;
    const details = (data.details ?? data) as Record<string, unknown>;
    const out: SessionProperties = { raw: data };
    const pick = (key: string) => (typeof details[key] === 'string' ? (details[key] as string) : undefined);
    const email = pick('email');
    const firstName = pick('first_name');
    const lastName = pick('last_name');
    if (email) out.email = email;
    if (firstName) out.firstName = firstName;
    if (lastName) out.lastName = lastName;
    return out;
  }

  private tryJson(body: Buffer): Record<string, unknown> | undefined {
    try {
      const data = JSON.parse(body.toString('utf8')) as unknown;
      return data !== null && typeof data === 'object' ? (data as Record<string, unknown>) : undefined;
    } catch {
      return undefined;
    }
  }
}
