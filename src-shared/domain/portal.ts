import { z } from 'zod';

/** A file as the portal's search lists it, trimmed to what the UI shows. */
export const PortalFile = z.object({
  accession: z.string(),
  uuid: z.string(),
  atId: z.string(),
  type: z.array(z.string()),
  displayTitle: z.string(),
  href: z.string().optional(),
  fileFormat: z.string().optional(),
  fileType: z.string().optional(),
  fileSize: z.number().optional(),
  md5sum: z.string().optional(),
  status: z.string().optional(),
  dateCreated: z.string().optional(),
  description: z.string().optional(),
  experimentType: z.string().optional(),
  biosource: z.string().optional(),
  lab: z.string().optional(),
  /** Portal page URL. */
  url: z.string(),
});
export type PortalFile = z.infer<typeof PortalFile>;

export const FacetTerm = z.object({ key: z.string(), count: z.number() });
export const Facet = z.object({ field: z.string(), title: z.string(), terms: z.array(FacetTerm) });
export type Facet = z.infer<typeof Facet>;

export const SearchFilter = z.object({
  field: z.string().min(1).max(200),
  value: z.string().max(500),
  negate: z.boolean().optional(),
});
export type SearchFilter = z.infer<typeof SearchFilter>;

export const SearchQuery = z.object({
  profile: z.string().optional(),
  query: z.string().max(1000).optional(),
  types: z.array(z.string().max(100)).max(20).optional(),
  filters: z.array(SearchFilter).max(100).optional(),
  from: z.number().int().min(0).optional(),
  limit: z.number().int().min(1).max(1000).optional(),
  sort: z.string().max(200).optional(),
});
export type SearchQuery = z.infer<typeof SearchQuery>;

export const SearchPage = z.object({
  items: z.array(PortalFile),
  total: z.number(),
  facets: z.array(Facet),
});
export type SearchPage = z.infer<typeof SearchPage>;
