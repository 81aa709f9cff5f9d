import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';
import type { SettingsPatch } from '../../../src-shared/domain/settings.ts';
import { parseByteSize } from '../../../src-shared/format.ts';
import { isListedUnavailable } from '../../../src-shared/manifest/table.ts';
import { checkFolder, makeFolder } from '../../core/downloads/disk/folder.ts';
import type { Services } from '../../core/services.ts';
import { commonOptions, credentialOptions, intFlag, parseCommandArgs } from '../args.ts';
import { call } from '../call.ts';
import { openServices } from '../context.ts';
import { EXIT, UsageError } from '../exit-codes.ts';
import { queueInputs } from '../inputs.ts';
import { type CliIo, printJson } from '../io.ts';
import { progressLine } from '../progress-line.ts';
import { queueShardInputs } from '../shard-inputs.ts';
import { parseShardFlag, type Shard } from '../shard-spec.ts';
import {
  describeReport,
  exitCodeForSummary,
  rejectedPlace,
  reportFor,
  reportForRejected,
  summarise,
} from '../summary.ts';
import { summaryPath, writeSummaryFile } from '../summary-file.ts';

export const getHelp = `4dn-dl get [ID ...] [-i, --input FILE]... [-o, --out DIR] [--keypairs FILE] [--profile NAME]
           [--server URL] [-j, --concurrency N] [--segments N] [--limit-rate RATE] [--json]
           [--shard K/N | auto | auto/N] [--summary FILE]
  Downloads, resumes and verifies. FILE: a list of ids, the portal's metadata TSV, CSV/TSV or JSON.
  Run the same command again after a crash or Ctrl-C: partial bytes are kept and reused.
  --shard K/N: only part K of N of the whole input (auto: the job array's task, see docs/cluster.md); any number
  of shards may share one --out. --summary FILE: the JSON summary to FILE (%K: the shard number).`;

export async function getCommand(argv: string[], io: CliIo, version: string): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    ...commonOptions,
    ...credentialOptions,
    input: { type: 'string', short: 'i', multiple: true },
    out: { type: 'string', short: 'o' },
    concurrency: { type: 'string', short: 'j' },
    segments: { type: 'string' },
    'limit-rate': { type: 'string' },
    shard: { type: 'string' },
    summary: { type: 'string' },
  });
  if (values.help) {
    io.stdout.write(`${getHelp}\n`);
    return EXIT.ok;
  }
  const files = values.input ?? [];
  if (positionals.length === 0 && files.length === 0) {
    throw new UsageError('Name what to download: ids, or -i FILE (a list or the portal metadata TSV).');
  }
  const shard = parseShardFlag(values.shard, io.env);
  const summaryFile = values.summary === undefined ? undefined : summaryPath(values.summary, shard, io.cwd);
  const outDir = resolve(io.cwd, values.out ?? '.');
  // Judged before anything is queued: every file of this command would go there.
  const verdict = await checkFolder(outDir);
  if (!verdict.ok) throw new UsageError(verdict.message);
  await makeFolder(outDir).catch((error: Error) => {
    throw new UsageError(error.message);
  });
  const services = await openServices(io, values, version, (dataDir) => ({
    queueDir: cliQueueDir(dataDir, outDir, shard),
    startQueue: false,
    settingsOverrides: settingsFromFlags(values, outDir),
  }));
  try {
    return await download(services, io, { ...values, outDir, ids: positionals, files, shard, summaryFile });
  } finally {
    await services.close();
  }
}

/**
 * One queue per download folder, so rerunning the same command finds its own partial downloads. A shard's queue
 * lives in the download folder itself (.4dn-dl/shard-K-of-N), keyed by folder and shard: the shards of one array
 * run on nodes with their own state folders but see one shared folder, and a rerun on any node finds its journal.
 */
function cliQueueDir(dataDir: string, outDir: string, shard: Shard | undefined): string {
  if (shard) return join(outDir, '.4dn-dl', `shard-${shard.index}-of-${shard.count}`);
  return join(dataDir, 'cli-queues', createHash('sha256').update(outDir).digest('hex').slice(0, 16));
}

function settingsFromFlags(
  values: {
    concurrency?: string | undefined;
    segments?: string | undefined;
    'limit-rate'?: string | undefined;
  },
  outDir: string,
): SettingsPatch {
  const concurrency = intFlag(values.concurrency, 'concurrency', 1, 32);
  const segments = intFlag(values.segments, 'segments', 1, 16);
  let bandwidthLimit: number | undefined;
  if (values['limit-rate'] !== undefined) {
    try {
      bandwidthLimit = Math.round(parseByteSize(values['limit-rate']));
    } catch (error) {
      throw new UsageError(`--limit-rate: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return {
    downloadDir: outDir,
    ...(concurrency !== undefined ? { concurrency } : {}),
    ...(segments !== undefined ? { segments } : {}),
    ...(bandwidthLimit !== undefined ? { bandwidthLimit } : {}),
  };
}

async function download(
  services: Services,
  io: CliIo,
  options: {
    outDir: string;
    ids: string[];
    files: string[];
    profile?: string | undefined;
    json?: boolean | undefined;
    shard: Shard | undefined;
    summaryFile: string | undefined;
  },
): Promise<number> {
  const { events } = services;
  // Only jobs this run touches are reported: old failures of another command in the same folder stay quiet.
  const touched = new Set<string>();
  const showProgress = Boolean(io.stderr.isTTY) && !options.json;
  const unsubscribe = [
    events.on('queue:changed', ({ jobs }) => {
      for (const job of jobs) {
        touched.add(job.id);
        if (showProgress && (job.state === 'done' || job.state === 'failed')) {
          io.stderr.write(`\r\x1b[2K${describeReport(reportFor(job))}\n`);
        }
      }
    }),
    events.on('queue:progress', ({ totals }) => {
      if (showProgress) io.stderr.write(`\r\x1b[2K${progressLine(totals, io.stderr.columns ?? 100)}`);
    }),
  ];
  try {
    // What key resolution had to say (a key left at home because --server names another site, a key file
    // others can read); a failure to resolve is reported per file instead.
    const profile = options.profile === undefined ? {} : { profile: options.profile };
    const resolved = await call(services, 'profiles:resolve', profile).catch(() => undefined);
    for (const warning of resolved?.warnings ?? []) io.stderr.write(`4dn-dl: ${warning}\n`);
    // Started only now that the events above are heard: jobs a killed run left behind resume as touched.
    await services.start();
    const inputs = {
      ids: options.ids,
      files: options.files,
      destDir: options.outDir,
      profile: options.profile,
    };
    const sharded = options.shard
      ? await queueShardInputs(services, io, { ...inputs, shard: options.shard })
      : undefined;
    const queued = sharded ?? (await queueInputs(services, io, inputs));
    // Files the queue already had (finished by a run killed before it cleared them, or still waiting) are this
    // run's too: reported, and cleared when done, like the ones just added.
    for (const id of queued.alreadyQueuedIds) touched.add(id);
    for (const r of queued.rejected) {
      const told = isListedUnavailable(r) ? `not included: ${r.reason}` : r.reason;
      io.stderr.write(`${rejectedPlace(r)}: ${r.text.slice(0, 120)}: ${told}\n`);
    }
    // Every id asked for is accounted for: one that never reached the queue is a failed entry of the summary.
    const notQueued = queued.rejected.filter((r) => !isListedUnavailable(r)).map(reportForRejected);
    // A shard may rightly get nothing (more shards than files): an empty, successful part.
    const emptyShard = sharded !== undefined && sharded.selected === 0 && sharded.total > 0;
    // Jobs already queued are in `touched` (above), so they count here too.
    if (queued.added === 0 && touched.size === 0 && !emptyShard) {
      if (options.json) printJson(io, summarise(notQueued));
      io.stderr.write('Nothing valid to download.\n');
      return EXIT.usage;
    }
    const idle = await Promise.race([
      call(services, 'queue:wait-idle', {}),
      io.interrupted.then(() => undefined),
    ]);
    if (!idle) {
      // Stops every transfer and flushes the journal before saying so; the caller's close is then a no-op.
      await services.close();
      io.stderr.write('\nStopped. Partial downloads are kept: run the same command again to resume.\n');
      return 130;
    }
    const ours = idle.jobs.filter((job) => touched.has(job.id));
    // A bundle's own job only queued its files, which are reported one by one; it is listed only if it failed.
    const jobs = ours.filter((job) => !(job.bundleFiles !== undefined && job.state === 'done'));
    const summary = summarise([...jobs.map(reportFor), ...notQueued]);
    // Finished jobs leave the CLI's queue (their files and the verification cache stay); failed ones keep their
    // partial bytes for the next run.
    await removeJobs(
      services,
      ours.filter((j) => j.state === 'done').map((j) => j.id),
    );
    if (options.summaryFile) {
      await writeSummaryFile(options.summaryFile, summary, { outDir: options.outDir, shard: options.shard });
    }
    if (options.json) printJson(io, summary);
    else {
      // Rejected lines were told above, each with its place in the input.
      if (!showProgress)
        for (const file of summary.files.slice(0, jobs.length)) io.stderr.write(`${describeReport(file)}\n`);
      else io.stderr.write('\r\x1b[2K');
      io.stderr.write(`${summary.ok} of ${summary.files.length} file(s) verified or already present.\n`);
    }
    return exitCodeForSummary(summary);
  } finally {
    for (const off of unsubscribe) off();
  }
}

/** The contract takes at most this many ids per queue call. */
const IDS_PER_CALL = 100_000;

/** queue:remove for any number of ids (none: no call), in calls the contract accepts. */
async function removeJobs(services: Services, ids: string[]): Promise<void> {
  for (let from = 0; from < ids.length; from += IDS_PER_CALL) {
    await call(services, 'queue:remove', { ids: ids.slice(from, from + IDS_PER_CALL) });
  }
}
