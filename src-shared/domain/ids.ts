import { z } from 'zod';

/**
 * One thing a user asked for, parsed. Every form names where to resolve it:
 * - accession: a bare 4DN (or TSTFI test) accession; resolved against the profile's server.
 * - drs-uri: drs://host[:port]/id -> https://host[:port]/ga4gh/drs/v1/objects/id
 * - drs-url: an https DRS object URL (.../ga4gh/drs/v1/objects/id)
 * - portal-item: a portal page such as https://host/files-processed/ACC/ or https://host/ACC/
 * - download-url: a portal @@download URL, possibly naming an extra file (fileName differs from ACC.ext)
 */
export const ParsedId = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('accession'), accession: z.string() }),
  z.object({ kind: z.literal('drs-uri'), host: z.string(), objectId: z.string(), drsBase: z.string() }),
  z.object({ kind: z.literal('drs-url'), objectId: z.string(), drsBase: z.string() }),
  z.object({ kind: z.literal('portal-item'), origin: z.string(), accession: z.string(), path: z.string() }),
  z.object({
    kind: z.literal('download-url'),
    origin: z.string(),
    accession: z.string(),
    /** The file name after @@download/, when given. */
    fileName: z.string().optional(),
    url: z.string(),
  }),
]);
export type ParsedId = z.infer<typeof ParsedId>;

/** A line of a list that could not be used, with a reason a person can act on. */
export const Rejected = z.object({ line: z.number().int(), text: z.string(), reason: z.string() });
export type Rejected = z.infer<typeof Rejected>;

export const ManifestItem = z.object({
  line: z.number().int(),
  /** The text as found (trimmed, cut to 2048 characters). */
  input: z.string(),
  id: ParsedId,
  /** Canonical key the list is de-duplicated by (URL, or accession plus file name). */
  key: z.string(),
  /** Hints from a metadata TSV: md5 of the stored bytes and size, when given. */
  md5: z.string().optional(),
  size: z.number().optional(),
});
export type ManifestItem = z.infer<typeof ManifestItem>;

export const ManifestFormat = z.enum(['plain', 'metadata-tsv', 'csv', 'tsv', 'json', 'files-txt']);
export type ManifestFormat = z.infer<typeof ManifestFormat>;

export const ManifestResult = z.object({
  format: ManifestFormat,
  items: z.array(ManifestItem),
  rejected: z.array(Rejected),
  /** Lines that repeat an earlier item, reported once each with the line they repeat. */
  duplicates: z.array(z.object({ line: z.number().int(), firstLine: z.number().int(), text: z.string() })),
  /**
   * Rows the list itself marks as not downloadable (the metadata TSV's "### Not Yet Uploaded: ",
   * "### Restricted: " and "### No URL currently available" rows): not errors in the list, but worth telling.
   */
  unavailable: z.array(Rejected).optional(),
});
export type ManifestResult = z.infer<typeof ManifestResult>;
