import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type SamplePortal,
  type SamplePortalOptions,
  startSamplePortal,
} from '../../sample-portal/server.ts';
import { createMemoryStore } from '../../src-main/core/auth/memory-store.ts';
import { type RunningWebHost, runWebHost } from '../../src-main/web/run.ts';
import type { SettingsPatch } from '../../src-shared/domain/settings.ts';
import type { InvokeChannel, InvokeInput, InvokeOutput } from '../../src-shared/ipc/contract.ts';
import { assertRendererBuilt, rendererDir } from './browser.ts';

/** The sample portal plus the web host over the real core, in this process, in fresh temporary folders. */
export interface E2eApp {
  portal: SamplePortal;
  host: RunningWebHost;
  /** http://127.0.0.1:P/?token=T */
  url: string;
  downloadDir: string;
  dataDir: string;
  /** A router call as the page would make it; throws the error value's message when it fails. */
  call<C extends InvokeChannel>(channel: C, input: InvokeInput<C>): Promise<InvokeOutput<C>>;
  close(): Promise<void>;
}

export interface E2eAppOptions {
  portal?: SamplePortalOptions;
  /** Applied with settings:set before the page opens (downloadDir is always the fresh download folder). */
  settings?: SettingsPatch;
}

export async function startE2eApp(options: E2eAppOptions = {}): Promise<E2eApp> {
  assertRendererBuilt();
  const root = await mkdtemp(join(tmpdir(), '4dn-e2e-'));
  const cleanups: Array<() => Promise<unknown>> = [() => rm(root, { recursive: true, force: true })];
  const close = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {});
  };
  try {
    const portal = await startSamplePortal({ files: 12, ...options.portal });
    cleanups.push(() => portal.close());
    const dataDir = join(root, 'data');
    const downloadDir = join(root, 'downloads');
    await mkdir(downloadDir);
    const host = await runWebHost({
      rendererDir,
      dataDir,
      keypairsPath: portal.keypairsPath,
      credentialStore: createMemoryStore(),
      version: '0.0.0-e2e',
    });
    cleanups.push(() => host.close());
    const call = async <C extends InvokeChannel>(channel: C, input: InvokeInput<C>) => {
      const result = await host.services.router.call(channel, input);
      if (!result.ok) throw new Error(`${channel}: ${result.error.code}: ${result.error.message}`);
      return result.value as InvokeOutput<C>;
    };
    await call('settings:set', { ...options.settings, downloadDir });
    return { portal, host, url: host.url, downloadDir, dataDir, call, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** The md5 of a file on disk, streamed. */
export async function md5OfFile(path: string): Promise<string> {
  const hash = createHash('md5');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** File names in a folder, sorted. */
export async function filesIn(dir: string): Promise<string[]> {
  return (await readdir(dir)).sort();
}

/** Accessions the sample portal never issues (a `TSTFIZ` prefix), for queues that must not resolve. */
export function unknownAccessions(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `TSTFIZ${i.toString(36).toUpperCase().padStart(6, '0')}`);
}
