import { z } from 'zod';
import { Checksum, DrsObject, FilePreview } from '../domain/drs.ts';
import { ErrorInfo } from '../domain/errors.ts';
import { ManifestResult, Rejected } from '../domain/ids.ts';
import { Job, JobProgress, QueueMark, QueueTotals } from '../domain/job.ts';
import { Facet, SearchPage, SearchQuery } from '../domain/portal.ts';
import { KeychainStatus, KeyTestResult, Profile, ProfileInput } from '../domain/profile.ts';
import { Settings, SettingsPatch } from '../domain/settings.ts';

/**
 * The one contract between the UI (or any adapter) and the core. Every adapter parses input with the
 * channel's schema before the handler runs; src-main/core/router.ts makes a missing handler a compile error.
 * Secrets may go in (profiles:add, profiles:test); no output schema has a field that could carry one.
 */
const Ids = z.object({ ids: z.array(z.string().max(200)).min(1).max(100_000) });
const Affected = z.object({ affected: z.number().int() });
const ManifestText = z.string().max(64 * 1024 * 1024);

/** Ids as the user gave them (accessions, drs:// URIs, links), looked up with a profile's key. */
const IdLookup = z.object({
  ids: z.array(z.string().max(2048)).min(1).max(10_000),
  profile: z.string().optional(),
});

/**
 * One file checked on disk by files:verify: where it is, its size and the checksum it was checked against
 * (null when unknown), and the verdict. `unverified`: present, but the server gives no checksum this app can
 * check; `failed`: missing, a different size or checksum, or the id could not be looked up (`error` says which).
 */
const FileCheck = z.object({
  input: z.string(),
  path: z.string().nullable(),
  size: z.number().int().nonnegative().nullable(),
  checksum: Checksum.nullable(),
  status: z.enum(['verified', 'unverified', 'failed']),
  error: ErrorInfo.optional(),
});

/** One answer per id, in order: what was found, or why not; one bad id never fails the rest. */
function perId<Found extends z.ZodRawShape>(found: Found) {
  return z.object({
    results: z.array(
      z.discriminatedUnion('ok', [
        z.object({ input: z.string(), ok: z.literal(true), ...found }),
        z.object({ input: z.string(), ok: z.literal(false), error: ErrorInfo }),
      ]),
    ),
  });
}

export const invoke = {
  'app:info': {
    input: z.object({}),
    output: z.object({
      name: z.string(),
      version: z.string(),
      platform: z.string(),
      /** Where the app keeps its state (queue, settings). */
      dataDir: z.string(),
      /** 'electron', 'web' or 'cli'. */
      host: z.string(),
      keychain: KeychainStatus,
    }),
  },
  'ids:parse': {
    input: z.object({ text: ManifestText, fileName: z.string().max(1024).optional() }),
    output: ManifestResult,
  },
  'objects:resolve': { input: IdLookup, output: perId({ object: DrsObject }) },
  /** Add's preview: per id, what the queue would download (name, size, checksums), or why it cannot. */
  'files:preview': { input: IdLookup, output: perId({ file: FilePreview }) },
  /**
   * Re-checks files already in `dir` (absolute) against the checksums the server publishes, hashing every byte
   * again (nothing is downloaded, no cache is trusted). One result per id, in order; one bad id never fails the rest.
   */
  'files:verify': {
    input: IdLookup.extend({ dir: z.string().min(1).max(4096) }),
    output: z.object({ results: z.array(FileCheck) }),
  },
  'portal:search': { input: SearchQuery, output: SearchPage },
  'portal:facets': {
    input: z.object({
      profile: z.string().optional(),
      types: z.array(z.string().max(100)).max(20).optional(),
    }),
    output: z.object({ facets: z.array(Facet) }),
  },
  'profiles:list': {
    input: z.object({}),
    output: z.object({ profiles: z.array(Profile), keychain: KeychainStatus }),
  },
  /**
   * Which key a profile (default: the default profile) resolves to for lookups and downloads, without the
   * secret, and what resolution had to say (a key left at home because --server names another site, a key
   * file others can read). `path`: the key file an entry came from.
   */
  'profiles:resolve': {
    input: z.object({ profile: z.string().optional() }),
    output: z.object({
      source: z.enum(['keychain', 'keypairs', 'anonymous']),
      profile: z.string().optional(),
      path: z.string().optional(),
      server: z.string(),
      warnings: z.array(z.string()),
    }),
  },
  'profiles:add': {
    input: ProfileInput.extend({ test: z.boolean().optional() }),
    output: z.object({ profile: Profile, test: KeyTestResult.optional() }),
  },
  'profiles:test': {
    input: z.union([z.object({ name: z.string() }), ProfileInput.omit({ name: true })]),
    output: KeyTestResult,
  },
  'profiles:remove': {
    input: z.object({ name: z.string() }),
    /**
     * `removed`: a keychain item was deleted. `keypairsFile`: a key file (which the app never edits) still
     * holds an entry of that name, so a profile of that name is still listed and used.
     */
    output: z.object({ removed: z.boolean(), keypairsFile: z.string().optional() }),
  },
  'profiles:import': {
    /** A keypairs.json by path (desktop, CLI) or by content (a dropped file in the browser). */
    input: z.union([
      z.object({ path: z.string().max(4096) }),
      z.object({ text: z.string().max(1024 * 1024) }),
    ]),
    output: z.object({
      imported: z.array(Profile),
      rejected: z.array(z.object({ name: z.string(), reason: z.string() })),
    }),
  },
  'queue:add': {
    input: z.object({
      /** Ids or lines; each may be any form ids:parse accepts. */
      items: z.array(z.string().max(2048)).max(100_000).optional(),
      /** A whole list or manifest file's text. */
      text: ManifestText.optional(),
      fileName: z.string().max(1024).optional(),
      profile: z.string().optional(),
      destDir: z.string().max(4096).optional(),
    }),
    output: z.object({
      added: z.number().int(),
      jobIds: z.array(z.string()),
      rejected: z.array(Rejected),
      /** Items already in the queue for the same destination. */
      alreadyQueued: z.number().int(),
      /** Their jobs (waiting, running or finished), so a caller can follow them as its own. */
      alreadyQueuedIds: z.array(z.string()),
    }),
  },
  'queue:snapshot': {
    input: z.object({}),
    output: z.object({ jobs: z.array(Job), totals: QueueTotals }),
  },
  /**
   * Resolves once nothing is queued, running or verifying (at once if so already), with every job as it then
   * is: the finished results. Jobs paused stay paused and do not hold it up.
   */
  'queue:wait-idle': {
    input: z.object({}),
    output: z.object({ jobs: z.array(Job), totals: QueueTotals }),
  },
  'queue:pause': { input: Ids, output: Affected },
  'queue:resume': { input: Ids, output: Affected },
  'queue:cancel': { input: Ids, output: Affected },
  'queue:retry': { input: Ids, output: Affected },
  'queue:remove': {
    /** deleteFiles: finished files too. keepPartial: unfinished jobs leave their .part (re-adding resumes it). */
    input: Ids.extend({ deleteFiles: z.boolean().optional(), keepPartial: z.boolean().optional() }),
    output: Affected,
  },
  'queue:pause-all': { input: z.object({}), output: Affected },
  'queue:resume-all': { input: z.object({}), output: Affected },
  'queue:retry-failed': { input: z.object({}), output: Affected },
  'queue:reorder': {
    /** Moves ids (in the given order) before `before`, or to the end when it is null. */
    input: Ids.extend({ before: z.string().nullable() }),
    output: z.object({ ok: z.boolean() }),
  },
  /**
   * For Browse and Add: what the queue already has of each file, matched by id (any form ids:parse accepts)
   * or by file name. `verified`: finished and still on disk as this app verified it (same size and time);
   * `downloaded`: finished and on disk, without a checksum check; `queued`: waiting, running or paused;
   * `failed`; null: none of these (a finished file no longer on disk is null too).
   */
  'queue:lookup': {
    input: z.object({
      files: z
        .array(z.object({ id: z.string().max(2048), name: z.string().max(1024).optional() }))
        .max(10_000),
    }),
    output: z.object({
      marks: z.array(z.object({ id: z.string(), mark: QueueMark.nullable(), path: z.string().optional() })),
    }),
  },
  /** Puts ids (in the given order) at the front of the queue: a queued one starts next. */
  'queue:move-to-top': { input: Ids, output: Affected },
  'queue:open-target': {
    /** Where a job's file is (or will be): the adapter opens the file or shows its folder. */
    input: z.object({ id: z.string(), reveal: z.boolean().optional() }),
    output: z.object({ path: z.string(), folder: z.string(), exists: z.boolean() }),
  },
  'settings:get': { input: z.object({}), output: Settings },
  'settings:set': { input: SettingsPatch, output: Settings },
  'disk:space': {
    input: z.object({ dir: z.string().max(4096).optional() }),
    output: z.object({ dir: z.string(), free: z.number(), total: z.number() }),
  },
  /**
   * Whether downloads can be saved in `dir` (default: the download folder from settings), asked before
   * anything is queued or saved: absolute, creatable and writable. `warning` names a system folder that
   * could hold downloads but should not.
   */
  'folder:check': {
    input: z.object({ dir: z.string().max(4096).optional() }),
    output: z.discriminatedUnion('ok', [
      z.object({ ok: z.literal(true), dir: z.string(), exists: z.boolean(), warning: z.string().nullable() }),
      z.object({ ok: z.literal(false), dir: z.string(), problem: z.string(), message: z.string() }),
    ]),
  },
  /**
   * The system's folder picker, starting at `current`; null when the user cancels. Only the desktop app has
   * one (app:info's host is 'electron'); elsewhere it fails with not-implemented and the path is typed.
   */
  'app:choose-folder': {
    input: z.object({ current: z.string().max(4096).optional(), title: z.string().max(200).optional() }),
    output: z.object({ path: z.string().nullable() }),
  },
} as const;

export const events = {
  /** Coalesced, about four times a second while anything moves. */
  'queue:progress': z.object({ jobs: z.array(JobProgress), totals: QueueTotals }),
  /** Jobs whose state or fields changed, and ids removed. */
  'queue:changed': z.object({ jobs: z.array(Job), removed: z.array(z.string()) }),
  /** Everything queued has finished (done or failed). */
  'queue:batch-done': z.object({ done: z.number(), failed: z.number() }),
  'settings:changed': Settings,
  'profiles:changed': z.object({ profiles: z.array(Profile) }),
  /**
   * Desktop only: what the OS handed the app (a drs:// link clicked, list files opened with it). The UI opens
   * Add with them. Held by the preload until the UI subscribes, so one sent at launch is not lost.
   */
  'app:open-items': z.object({
    items: z.array(z.string().max(2048)).max(10_000),
    files: z
      .array(z.object({ name: z.string().max(1024), text: ManifestText }))
      .max(100)
      .optional(),
  }),
} as const;

export type InvokeChannel = keyof typeof invoke;
export type EventName = keyof typeof events;
export type InvokeInput<C extends InvokeChannel> = z.input<(typeof invoke)[C]['input']>;
export type InvokeParsedInput<C extends InvokeChannel> = z.output<(typeof invoke)[C]['input']>;
export type InvokeOutput<C extends InvokeChannel> = z.infer<(typeof invoke)[C]['output']>;
export type EventPayload<E extends EventName> = z.infer<(typeof events)[E]>;

export const invokeChannels = Object.keys(invoke) as InvokeChannel[];
export const eventNames = Object.keys(events) as EventName[];

export function isInvokeChannel(name: unknown): name is InvokeChannel {
  return typeof name === 'string' && Object.hasOwn(invoke, name);
}

/** What every transport carries back for an invoke: a value or an error value, never a thrown stack. */
export type InvokeResult<C extends InvokeChannel> =
  | { ok: true; value: InvokeOutput<C> }
  | { ok: false; error: ErrorInfo };
