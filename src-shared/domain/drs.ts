import { z } from 'zod';

/** Checksum types we know; other servers may send more, which stay as their raw name. */
export const ChecksumType = z.string().min(1).max(64);
export const Checksum = z.object({
  /** Normalised: 'md5', 'sha-1', 'sha-256', 'sha-512', 'etag', 'crc32c', 'trunc512', or the server's own name. */
  type: ChecksumType,
  /** Lower-case hex where the value could be decoded; otherwise as given. */
  value: z.string().max(512),
});
export type Checksum = z.infer<typeof Checksum>;

export const AccessUrl = z.object({ url: z.string(), headers: z.array(z.string()).default([]) });
export type AccessUrl = z.infer<typeof AccessUrl>;

export const AccessMethod = z.object({
  type: z.string(),
  accessId: z.string().optional(),
  accessUrl: AccessUrl.optional(),
  region: z.string().optional(),
});
export type AccessMethod = z.infer<typeof AccessMethod>;

export interface BundleEntry {
  name: string;
  id?: string | undefined;
  drsUris: string[];
  contents: BundleEntry[];
}
export const BundleEntry: z.ZodType<BundleEntry> = z.lazy(() =>
  z.object({
    name: z.string(),
    id: z.string().optional(),
    drsUris: z.array(z.string()),
    contents: z.array(BundleEntry),
  }),
);

/** A DRS object normalised from any server's shape (4DN current, 4DN legacy, GA4GH 1.x). */
export const DrsObject = z.object({
  id: z.string(),
  selfUri: z.string(),
  /** DRS base URL the object came from, e.g. https://data.4dnucleome.org/ga4gh/drs/v1 */
  drsBase: z.string(),
  name: z.string().optional(),
  size: z.number().int().nonnegative(),
  checksums: z.array(Checksum),
  createdTime: z.string().optional(),
  updatedTime: z.string().optional(),
  description: z.string().optional(),
  mimeType: z.string().optional(),
  aliases: z.array(z.string()),
  accessMethods: z.array(AccessMethod),
  /** Present when the object is a bundle. */
  contents: z.array(BundleEntry).optional(),
  /** The server's JSON as received, for the details pane. */
  raw: z.unknown(),
});
export type DrsObject = z.infer<typeof DrsObject>;

/**
 * What downloading an id will fetch, as far as is known before it starts (Add's preview): the download name
 * (`<ACC>.<ext>`), size and checksums, from the DRS object, or from the portal item for an extra file or a file
 * without a DRS object, exactly as the queue will take them.
 */
export const FilePreview = z.object({
  name: z.string(),
  /** Undefined when unknown. */
  size: z.number().int().nonnegative().optional(),
  checksums: z.array(Checksum),
  createdTime: z.string().optional(),
  source: z.enum(['drs', 'portal-item']),
  /** How the bytes will be reached first, for DRS objects ("https URL", 's3 access id "s3"'). */
  access: z.string().max(300).optional(),
  /** For a bundle: where each of its files will be saved, relative to the download folder ("b/sub/x.txt"). */
  bundleFiles: z.array(z.string()).max(100_000).optional(),
});
export type FilePreview = z.infer<typeof FilePreview>;
