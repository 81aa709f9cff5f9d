import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appDataDir } from '../core/app-data-dir.ts';
import type { CredentialStore } from '../core/auth/credential-store.ts';
import { createMemoryStore } from '../core/auth/memory-store.ts';
import { makeFolder } from '../core/downloads/disk/folder.ts';
import { createServices, type Services } from '../core/services.ts';
import type { DemoPortal, StartDemoPortal } from './demo-portal.ts';
import { startWebHost, type WebHost } from './host.ts';

export interface RunWebHostOptions {
  rendererDir: string;
  port?: number;
  /** Default: the per-user app-data folder shared with the desktop app. Ignored in demo mode. */
  dataDir?: string;
  keypairsPath?: string;
  /** The download folder for this run only (`4dn-dl serve --out`); the saved setting otherwise. */
  outDir?: string;
  /** Anonymous use and every key's server (`--server`). */
  server?: string;
  version?: string;
  /** Demo mode: start this sample portal and use a fresh temporary data and download folder. */
  demoPortal?: StartDemoPortal;
  /** Fixed token (tests); default random. */
  token?: string;
  /** Where keys are kept: the OS keychain by default, memory in the demo (its keys must not outlive it). */
  credentialStore?: CredentialStore;
}

export interface RunningWebHost {
  url: string;
  port: number;
  token: string;
  dataDir: string;
  services: Services;
  /** Demo mode only. */
  demo?: { portalUrl: string; keypairsPath: string; downloadDir: string };
  /** Closes the host, the core and the demo portal, and removes the demo's temporary folder. */
  close(): Promise<void>;
}

/** The web host with its core (and, for the demo, the sample portal): what `npm run web` and the demo run. */
export async function runWebHost(options: RunWebHostOptions): Promise<RunningWebHost> {
  const cleanups: Array<() => Promise<void>> = [];
  const close = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {});
  };
  try {
    let dataDir = options.dataDir ?? appDataDir();
    let downloadDir: string | undefined;
    let keypairsPath = options.keypairsPath;
    let credentialStore = options.credentialStore;
    let portal: DemoPortal | undefined;
    if (options.demoPortal) {
      const scratch = await mkdtemp(join(tmpdir(), '4dn-demo-'));
      cleanups.push(() => rm(scratch, { recursive: true, force: true }));
      dataDir = join(scratch, 'data');
      downloadDir = join(scratch, 'downloads');
      await mkdir(downloadDir);
      const started = await options.demoPortal();
      portal = started;
      cleanups.push(() => started.close());
      keypairsPath = started.keypairsPath;
      credentialStore ??= createMemoryStore();
    }
    await makeFolder(dataDir, 0o700);
    const services = await createServices({
      dataDir,
      host: 'web',
      version: options.version,
      downloadDir,
      keypairsPath,
      ...(portal ? { server: portal.portalUrl } : options.server ? { server: options.server } : {}),
      ...(options.outDir ? { settingsOverrides: { downloadDir: options.outDir } } : {}),
      ...(credentialStore ? { credentialStore } : {}),
    });
    cleanups.push(() => services.close());
    const host: WebHost = await startWebHost({
      router: services.router,
      events: services.events,
      rendererDir: options.rendererDir,
      port: options.port,
      token: options.token,
    });
    cleanups.push(() => host.close());
    return {
      url: host.url,
      port: host.port,
      token: host.token,
      dataDir,
      services,
      demo:
        portal && downloadDir
          ? { portalUrl: portal.portalUrl, keypairsPath: portal.keypairsPath, downloadDir }
          : undefined,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
