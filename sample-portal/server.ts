import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AdminApi } from './admin.ts';
import { Catalog } from './catalog.ts';
import type { PortalContext } from './context.ts';
import { FaultBook } from './faults.ts';
import { Gen3Auth } from './gen3.ts';
import { sendPortalError } from './http-util.ts';
import { metadataTsv } from './metadata-tsv.ts';
import { handlePortal } from './portal-routes.ts';
import { SeededRandom } from './random.ts';
import { handleStorage } from './storage.ts';
import { StorageStats } from './storage-stats.ts';
import { StorageUrls } from './storage-urls.ts';
import type { FileFaults, SamplePortal, SamplePortalOptions } from './types.ts';

export type {
  AddFileSpec,
  DrsShape,
  ExtraFile,
  FileFaults,
  ItemType,
  SampleFile,
  SamplePortal,
  SamplePortalOptions,
  StatusFault,
  StorageRequestLog,
} from './types.ts';

const DEFAULT_URL_LIFETIME_MS = 36 * 3600 * 1000;

/**
 * Starts the sample 4DN portal and its fake S3 storage on two 127.0.0.1 ports. Everything (files, bytes, md5s,
 * accessions, the access key) is deterministic from the seed.
 */
export async function startSamplePortal(options: SamplePortalOptions = {}): Promise<SamplePortal> {
  const seed = options.seed ?? 1;
  const catalog = new Catalog(seed, options.files ?? 12);
  const faults = new FaultBook();
  const stats = new StorageStats();
  const keys = new SeededRandom(seed, 'access-key');
  const key = keys.accessKey();
  const secret = keys.accessSecret();

  const storageServer = createServer();
  const portalServer = createServer();
  const storagePort = await listen(storageServer, 0);
  let portalPort: number;
  try {
    portalPort = await listen(portalServer, options.port ?? 0);
  } catch (error) {
    storageServer.close();
    throw error;
  }
  const storageUrl = `http://127.0.0.1:${storagePort}`;
  const host = `127.0.0.1:${portalPort}`;
  const portalUrl = `http://${host}`;
  const urls = new StorageUrls(storageUrl, seed);
  const ctx: PortalContext = {
    catalog,
    faults,
    urls,
    stats,
    accessLog: [],
    gen3: new Gen3Auth(seed, options.gen3TokenLifetimeMs ?? 20 * 60_000),
    portalUrl,
    host,
    key,
    secret,
    urlLifetimeMs: options.urlLifetimeMs ?? DEFAULT_URL_LIFETIME_MS,
    startedAt: new Date(),
  };

  const ownDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'sample-portal-')));
  await mkdir(dataDir, { recursive: true });
  const keypairsPath = join(dataDir, 'keypairs.json');
  const gen3CredentialsPath = join(dataDir, 'gen3-credentials.json');
  await writeFile(gen3CredentialsPath, ctx.gen3.credentialsJson(), { mode: 0o600 });
  await writeFile(
    keypairsPath,
    `${JSON.stringify({ default: { key, secret, server: `${portalUrl}/` } }, null, 2)}\n`,
    {
      mode: 0o600,
    },
  );

  const portal: SamplePortal = {
    portalUrl,
    storageUrl,
    drsBase: `${portalUrl}/ga4gh/drs/v1`,
    key,
    secret,
    keypairsPath,
    gen3CredentialsPath,
    gen3: ctx.gen3,
    files: catalog.files,
    file: (accession) => catalog.get(accession).sample,
    addFile: (spec) => catalog.addFile(spec),
    readBytes(fileName, start, end) {
      const stored = catalog.stored(fileName);
      if (!stored) throw new Error(`No stored file named ${fileName}`);
      return stored.content.read(start, end);
    },
    setFaults(accession: string, fileFaults: FileFaults) {
      catalog.get(accession);
      faults.set(accession, fileFaults);
    },
    clearFaults: (accession) => faults.clear(accession),
    bytesServed: (fileName) => stats.bytesServed(fileName),
    storageRequests: () => stats.requests(),
    authorizationSentToStorage: () => stats.authorizationSent(),
    drsAccessRequests: () => [...ctx.accessLog],
    resetStats: () => {
      stats.reset();
      ctx.accessLog.length = 0;
    },
    metadataTsv(accessions) {
      const records = accessions ? accessions.map((accession) => catalog.get(accession)) : catalog.records;
      return metadataTsv(ctx, records);
    },
    async close() {
      await Promise.all([stop(portalServer), stop(storageServer)]);
      if (ownDataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
  const admin: AdminApi = {
    has: (accession) => catalog.find(accession)?.sample.accession === accession,
    setFaults: portal.setFaults,
    clearFaults: () => faults.clear(),
    resetStats: portal.resetStats,
    addFile: portal.addFile,
    storageRequests: portal.storageRequests,
    authorizationSentToStorage: portal.authorizationSentToStorage,
  };
  portalServer.on(
    'request',
    guarded((req, res) => handlePortal(ctx, admin, req, res)),
  );
  storageServer.on(
    'request',
    guarded((req, res) => handleStorage(req, res, { catalog, faults, urls, stats })),
  );
  return portal;
}

/** A handler that throws answers 500 (or drops the connection once the body has started). */
function guarded(handler: (req: IncomingMessage, res: ServerResponse) => Promise<void>) {
  return (req: IncomingMessage, res: ServerResponse) => {
    handler(req, res).catch((error: unknown) => {
      if (res.headersSent) res.destroy();
      else sendPortalError(res, 500, `Sample portal error: ${(error as Error).message}`);
    });
  };
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function stop(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
