import type { DrsObject, FilePreview } from '../../../src-shared/domain/drs.ts';
import type { Job } from '../../../src-shared/domain/job.ts';
import type { Profile } from '../../../src-shared/domain/profile.ts';
import { defaultSettings, type Settings } from '../../../src-shared/domain/settings.ts';
import type { InvokeOutput } from '../../../src-shared/ipc/contract.ts';
import { makeTotals } from '../../support/queue-fixtures.ts';
import type { Handlers } from './memory-transport.ts';

export { makeTotals };

export const GiB = 1024 ** 3;
export const MiB = 1024 ** 2;

export function makeJob(n: number, overrides: Partial<Job> = {}): Job {
  const acc = `4DNFI${String(n).padStart(7, '0').replace(/0/g, 'A')}`;
  return {
    id: `job-${n}`,
    source: acc,
    destDir: '/data',
    name: `${acc}.pairs.gz`,
    size: 2 * GiB,
    bytesDone: 0,
    state: 'queued',
    verification: 'pending',
    checksum: { type: 'md5', value: 'a'.repeat(32) },
    attempts: [],
    drsUri: `drs://data.4dnucleome.org/${acc}`,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    ...overrides,
  };
}

export function makeSettings(overrides: Partial<Settings> = {}): Settings {
  return { ...defaultSettings('/data'), ...overrides };
}

export function makeProfile(name: string, overrides: Partial<Profile> = {}): Profile {
  return {
    name,
    server: 'https://data.4dnucleome.org',
    keyId: 'ABCDEFGH',
    addedAt: '2026-01-02T10:00:00.000Z',
    source: 'keychain',
    ...overrides,
  };
}

export function makeObject(id: string, size: number, overrides: Partial<DrsObject> = {}): DrsObject {
  return {
    id,
    selfUri: `drs://data.4dnucleome.org/${id}`,
    drsBase: 'https://data.4dnucleome.org/ga4gh/drs/v1',
    // As the portal serves it: `name` is the submitter's file name; the S3 URL has the download name.
    name: `submitted_${id.slice(-2)}_merged.pairs.gz`,
    size,
    checksums: [{ type: 'md5', value: 'b'.repeat(32) }],
    createdTime: '2025-06-30T12:00:00Z',
    aliases: [],
    accessMethods: [
      {
        type: 'https',
        accessId: 'https',
        accessUrl: { url: `https://s3.example/wfoutput/uuid/${id}.pairs.gz`, headers: [] },
      },
    ],
    raw: { id },
    ...overrides,
  };
}

/** What files:preview says of a file in Open Data: the download name from its S3 URL, not the submitted one. */
export function makePreview(id: string, size: number, overrides: Partial<FilePreview> = {}): FilePreview {
  return {
    name: `${id}.pairs.gz`,
    size,
    checksums: [{ type: 'md5', value: 'b'.repeat(32) }],
    createdTime: '2025-06-30T12:00:00Z',
    source: 'drs',
    ...overrides,
  };
}

/** app:info of the browser UI unless told otherwise. */
export function makeAppInfo(overrides: Partial<InvokeOutput<'app:info'>> = {}): InvokeOutput<'app:info'> {
  return {
    name: '4DN Downloader',
    version: '0.1.0',
    platform: 'linux',
    dataDir: '/state',
    host: 'web',
    keychain: { available: true },
    ...overrides,
  };
}

/** What every view needs to start: an empty queue, settings, one profile, free space. */
export function baseHandlers(overrides: Handlers = {}): Handlers {
  return {
    'app:info': () => makeAppInfo(),
    'settings:get': () => makeSettings(),
    'settings:set': (patch) => ({ ...makeSettings(), ...patch }),
    'profiles:list': () => ({ profiles: [makeProfile('default')], keychain: { available: true } }),
    'queue:snapshot': () => ({ jobs: [], totals: makeTotals() }),
    'disk:space': ({ dir }) => ({ dir: dir ?? '/data', free: 2048 * GiB, total: 4096 * GiB }),
    ...overrides,
  };
}

/** A queue:add that takes every item given (and adds no job the test would have to follow). */
export const acceptEveryItem: Handlers['queue:add'] = ({ items }) => ({
  added: items?.length ?? 0,
  jobIds: [],
  rejected: [],
  alreadyQueued: 0,
  alreadyQueuedIds: [],
});
