import { randomUUID } from 'node:crypto';
import type { Checksum } from '../../../../src-shared/domain/drs.ts';
import type { ParsedId } from '../../../../src-shared/domain/ids.ts';
import type { Job } from '../../../../src-shared/domain/job.ts';
import { displayName, idKey } from '../../../../src-shared/ids/ids.ts';
import type { JobRecord } from '../../store/job-record.ts';

/**
 * What the engine needs from a download source (src-main/core/drs/download-source.ts implements it): a
 * resolved target, and a fresh storage URL for every start and resume (never cached: presigned URLs expire).
 */
export interface SourceTarget {
  /** The DRS (or portal) name: the last resort for the file name after the storage URL and Content-Disposition. */
  fileName: string;
  size?: number | undefined;
  checksums: Checksum[];
  drsUri?: string | undefined;
  /** Set when the id is a DRS bundle: the job queues these files under `folder` instead of downloading. */
  bundle?: BundlePlan | undefined;
  /** Taken from the list's own md5, size and @@download URL, without asking DRS (see TargetHints). */
  fromHints?: boolean | undefined;
}

/** What a list (the portal's metadata TSV) already says about a file. */
export interface TargetHints {
  md5?: string | undefined;
  size?: number | undefined;
}

export interface DownloadSourceLike {
  /** With hints that carry md5 and size for a named @@download URL, answers from them without asking DRS. */
  target(
    input: string | ParsedId,
    options?: { signal?: AbortSignal; hints?: TargetHints },
  ): Promise<SourceTarget>;
  freshUrl(
    target: SourceTarget,
    options?: { signal?: AbortSignal },
  ): Promise<{ url: string; headers: Record<string, string> }>;
}

/** One file of a bundle: the DRS object to download and the folders (below the bundle's own) it goes in. */
export interface BundleMember {
  input: string;
  id: ParsedId;
  /** Sanitised folder names from the bundle's folder down, e.g. ["reads", "lane1"]. */
  folders: string[];
  /** The name it is expected to be saved under (its DRS name), for previews. */
  name: string;
}

/** A bundle expanded into its files: saved under `folder`, each member in its own sub-folders. */
export interface BundlePlan {
  folder: string;
  members: BundleMember[];
}

/** One thing to download, as a list or manifest gives it. */
export interface AddItem {
  input: string;
  id?: ParsedId | undefined;
  /** De-duplication key (URL, or accession plus file name); derived from `id` or `input` when absent. */
  key?: string | undefined;
  md5?: string | undefined;
  size?: number | undefined;
}

/** The key a queue is de-duplicated by, per destination: the parsed id's canonical key, else the trimmed input. */
export function itemKey(item: AddItem): string {
  if (item.key) return item.key;
  return item.id ? idKey(item.id) : `input:${item.input.trim()}`;
}

/** A readable placeholder name until the real one is known. */
export function placeholderName(item: AddItem): string {
  if (item.id) return displayName(item.id);
  const text = item.input.trim();
  return (
    (
      text
        .split(/[/\\?#]/)
        .filter(Boolean)
        .pop() ?? text
    ).slice(0, 200) || 'download'
  );
}

/** A new queued job for an item; `order` is set when the queue inserts it. */
export function newJobRecord(
  item: AddItem,
  options: { key: string; destDir: string; profile: string | undefined; now: string },
): JobRecord {
  const job: Job = {
    id: randomUUID(),
    source: item.input,
    destDir: options.destDir,
    name: placeholderName(item),
    bytesDone: 0,
    state: 'queued',
    verification: 'pending',
    attempts: [],
    createdAt: options.now,
    updatedAt: options.now,
    ...(options.profile === undefined ? {} : { profile: options.profile }),
    ...(item.size === undefined ? {} : { size: item.size }),
  };
  const record: JobRecord = { job, order: 0, key: options.key };
  if (item.id) record.parsedId = item.id;
  if (item.md5 || item.size) {
    record.hints = { ...(item.md5 ? { md5: item.md5 } : {}), ...(item.size ? { size: item.size } : {}) };
  }
  return record;
}
