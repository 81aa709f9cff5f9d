import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type SamplePortal,
  type SamplePortalOptions,
  startSamplePortal,
} from '../../sample-portal/server.ts';
import type { AddItem, DownloadSourceLike } from '../../src-main/core/downloads/job/source.ts';
import { DownloadEngine, type EngineOptions } from '../../src-main/core/downloads/queue/engine.ts';
import { createDownloadSource } from '../../src-main/core/drs/download-source.ts';
import { EventHub } from '../../src-main/core/events.ts';
import type { Credentials } from '../../src-main/core/http/credentials.ts';
import { JobStore } from '../../src-main/core/store/job-store.ts';
import type { Job } from '../../src-shared/domain/job.ts';
import { defaultSettings, type Settings } from '../../src-shared/domain/settings.ts';
import { parseId } from '../../src-shared/ids/ids.ts';

/**
 * The real engine against the sample portal through the real download source, in a temp folder.
 * Small stall timeouts and backoffs keep fault tests to about a second each.
 */
export interface Harness {
  portal: SamplePortal;
  root: string;
  dataDir: string;
  downloadDir: string;
  events: EventHub;
  settings: Settings;
  store: JobStore;
  engine: DownloadEngine;
  source: DownloadSourceLike;
  /** Queues accessions (or any ids) into the download folder and waits until the queue is idle. */
  download(inputs: string[]): Promise<Job[]>;
  add(inputs: string[]): string[];
  /** Empties the queue, the download folder and the portal's faults and counters, between tests. */
  reset(): Promise<void>;
  /** A new store + engine on the same data folder (after close()). */
  reopen(overrides?: Partial<EngineOptions>): Promise<DownloadEngine>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  portal?: SamplePortalOptions;
  settings?: Partial<Settings>;
  engine?: Partial<EngineOptions>;
  /** Wrong credentials, to see auth-rejected. */
  secret?: string;
  /** Other credentials than the portal's 4DN key (a bearer token, a Gen3 API key). */
  credentials?: (portal: SamplePortal) => Promise<Credentials>;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const portal = await startSamplePortal(options.portal);
  const root = await mkdtemp(join(tmpdir(), 'engine-test-'));
  const dataDir = join(root, 'data');
  const downloadDir = join(root, 'downloads');
  const settings: Settings = { ...defaultSettings(downloadDir), concurrency: 4, ...options.settings };
  const events = new EventHub();
  const source = createDownloadSource({
    server: portal.portalUrl,
    credentials: options.credentials
      ? await options.credentials(portal)
      : { server: portal.portalUrl, keyId: portal.key, secret: options.secret ?? portal.secret },
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.min(ms, 1000))),
  });
  const makeEngine = async (overrides: Partial<EngineOptions> = {}) => {
    const store = await JobStore.open({ dataDir });
    const engine = new DownloadEngine({
      store,
      sourceFor: async () => source,
      settings: () => settings,
      events,
      stallTimeoutMs: 1000,
      retry: { baseDelayMs: 50, maxDelayMs: 400 },
      ...options.engine,
      ...overrides,
    });
    await engine.start();
    return { store, engine };
  };
  let { store, engine } = await makeEngine();
  const harness: Harness = {
    portal,
    root,
    dataDir,
    downloadDir,
    events,
    settings,
    store,
    engine,
    source,
    add(inputs) {
      return harness.engine.add(inputs.map(toItem), { destDir: downloadDir }).jobIds;
    },
    async download(inputs) {
      const ids = harness.add(inputs);
      await harness.engine.whenIdle();
      return ids.map((id) => harness.engine.job(id) as Job);
    },
    async reset() {
      await harness.engine.remove(
        harness.engine.snapshot().jobs.map((j) => j.id),
        { deleteFiles: true },
      );
      await rm(downloadDir, { recursive: true, force: true });
      await mkdir(downloadDir, { recursive: true });
      portal.clearFaults();
      portal.resetStats();
    },
    async reopen(overrides) {
      ({ store, engine } = await makeEngine(overrides));
      harness.store = store;
      harness.engine = engine;
      return engine;
    },
    async close() {
      await harness.engine.close();
      await harness.store.close();
      await portal.close();
      await rm(root, { recursive: true, force: true });
    },
  };
  return harness;
}

export function toItem(input: string): AddItem {
  const parsed = parseId(input);
  return parsed.ok ? { input, id: parsed.id } : { input };
}

export function md5(data: Uint8Array): string {
  return createHash('md5').update(data).digest('hex');
}

export async function md5OfFile(path: string): Promise<string> {
  return md5(await readFile(path));
}

/** File names in a folder, sorted. */
export async function listDir(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).sort();
  } catch {
    return [];
  }
}

/** Polls until `test` holds (for states reached through real I/O, not timing). */
export async function waitFor(test: () => Promise<boolean> | boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await test())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((done) => setTimeout(done, 20));
  }
}

/** Bytes in a download's .part file (0 when there is none). */
export async function partSize(dir: string, name: string): Promise<number> {
  return (await stat(join(dir, `${name}.part`)).catch(() => undefined))?.size ?? 0;
}
