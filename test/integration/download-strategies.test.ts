import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SamplePortal, startSamplePortal } from '../../sample-portal/server.ts';
import { type FileSystem, nodeFileSystem } from '../../src-main/core/downloads/disk/file-system.ts';
import { PartFile } from '../../src-main/core/downloads/disk/part-file.ts';
import { planVerification } from '../../src-main/core/downloads/hashing/checksum.ts';
import { downloadSegmented } from '../../src-main/core/downloads/job/segmented.ts';
import { planSegments } from '../../src-main/core/downloads/job/segments.ts';
import type {
  ResponseFacts,
  StorageLink,
  TransferRequest,
  TransferSession,
} from '../../src-main/core/downloads/job/session.ts';
import { downloadSingle } from '../../src-main/core/downloads/job/single-stream.ts';
import type { SourceTarget } from '../../src-main/core/downloads/job/source.ts';
import { Semaphore } from '../../src-main/core/downloads/queue/semaphore.ts';
import { createDownloadSource } from '../../src-main/core/drs/download-source.ts';
import { type ConnectionPool, createConnectionPool } from '../../src-main/core/http/connection-pool.ts';

/**
 * A strategy needs nothing of a job run: a TransferSession (here a plain recorder over a real .part file) and a
 * request of values. What it finds out comes back as its result; the facts it reports are all it tells.
 */
class RecordingSession implements TransferSession {
  readonly facts: ResponseFacts[] = [];
  readonly progress: number[] = [];
  readonly notes: string[] = [];
  links = 0;
  /** fsyncs of the .part asked for so far (close() adds the last one). */
  syncs = 0;
  private file: PartFile | undefined;
  private readonly path: string;
  private readonly link: () => Promise<StorageLink>;

  private readonly countingFs: FileSystem = {
    ...nodeFileSystem,
    open: async (path, flags) => {
      const handle = await nodeFileSystem.open(path, flags);
      const sync = handle.sync.bind(handle);
      handle.sync = () => {
        this.syncs++;
        return sync();
      };
      return handle;
    },
  };

  constructor(path: string, link: () => Promise<StorageLink>) {
    this.path = path;
    this.link = link;
  }
  async part(): Promise<PartFile> {
    this.file ??= await PartFile.open(this.countingFs, this.path, new Semaphore(4));
    return this.file;
  }
  async partLength(): Promise<number> {
    return (await this.part()).length();
  }
  freshLink(): Promise<StorageLink> {
    this.links++;
    return this.link();
  }
  /** Called at every progress report, to look at the map as the strategy moves it. */
  onProgress: () => void = () => {};
  progressed(bytes: number): void {
    this.progress.push(bytes);
    this.onProgress();
  }
  learned(facts: ResponseFacts): void {
    this.facts.push(facts);
  }
  recover(error: unknown): Promise<'resume' | 'restart'> {
    return Promise.reject(error);
  }
  note(text: string): void {
    this.notes.push(text);
  }
  async close(): Promise<void> {
    await this.file?.sync();
    await this.file?.close();
  }
}

describe('download strategies on their own', () => {
  let portal: SamplePortal;
  let http: ConnectionPool;
  let dir: string;
  let fresh: (accession: string) => Promise<{ target: SourceTarget; link: () => Promise<StorageLink> }>;

  beforeAll(async () => {
    portal = await startSamplePortal({ files: 12 });
    http = createConnectionPool();
    dir = await mkdtemp(join(tmpdir(), 'strategies-'));
    const source = createDownloadSource({
      server: portal.portalUrl,
      credentials: { server: portal.portalUrl, keyId: portal.key, secret: portal.secret },
    });
    fresh = async (accession) => {
      const target = await source.target(accession);
      return { target, link: () => source.freshUrl(target) };
    };
  });
  afterAll(async () => {
    http?.close();
    await portal?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const request = (target: SourceTarget, first: StorageLink, connections = 3): TransferRequest => ({
    first,
    connections,
    plan: planVerification(target.checksums),
    size: target.size,
    etag: undefined,
    noRanges: false,
    named: true,
    signal: new AbortController().signal,
    transferDeps: { http },
    stallTimeoutMs: 10_000,
  });

  it('single stream: returns the digest and size, and reports the ETag as the response tells it', async () => {
    const file = portal.files.find((f) => f.status === 'released' && f.size > 2 * 1024 * 1024);
    if (!file) throw new Error('the sample portal has no released file over 2 MiB');
    const { target, link } = await fresh(file.accession);
    const session = new RecordingSession(join(dir, `${file.fileName}.part`), link);
    const result = await downloadSingle(session, request(target, await link()));
    // The last bytes were sent on their way to the disk while the hash caught up, not after it, and the
    // fsync before the rename finds that flush covered every write: one fsync in all.
    expect(session.syncs).toBe(1);
    await session.close();
    expect(session.syncs).toBe(1);

    expect(result).toEqual({ digest: file.md5, size: file.size });
    const bytes = await readFile(join(dir, `${file.fileName}.part`));
    expect(createHash('md5').update(bytes).digest('hex')).toBe(file.md5);
    expect(session.facts).toEqual([{ etag: expect.any(String) }]);
    expect(session.progress.at(-1)).toBe(file.size);
    expect(session.links).toBe(0);
  });

  it('segments: one ranged GET per piece, the map filled in, the digest of the whole file', async () => {
    const file = portal.files.find((f) => f.status === 'released' && f.size > 8 * 1024 * 1024);
    if (!file) throw new Error('the sample portal has no released file over 8 MiB');
    const { target, link } = await fresh(file.accession);
    const segments = planSegments(file.size, { segments: 3, minSegmentSize: 1024 * 1024 });
    if (!segments) throw new Error('no segment plan');
    portal.resetStats();
    const session = new RecordingSession(join(dir, `${file.fileName}.part`), link);
    const result = await downloadSegmented(session, request(target, await link()), segments);
    expect(session.syncs).toBe(1);
    await session.close();

    expect(result).toEqual({ digest: file.md5, size: file.size });
    expect(segments.map((s) => s.done)).toEqual(segments.map((s) => s.end - s.start));
    const ranges = portal.storageRequests().map((r) => r.range);
    expect(ranges.sort()).toEqual(segments.map((s) => `bytes=${s.start}-${s.end - 1}`).sort());
    // The ETag is reported once, by whichever segment answered first.
    expect(session.facts).toEqual([{ etag: expect.any(String) }]);
    const bytes = await readFile(join(dir, `${file.fileName}.part`));
    expect(createHash('md5').update(bytes).digest('hex')).toBe(file.md5);
  });

  it('segments: connections take the pieces in file order, never more at once than asked, one link for all', async () => {
    const file = portal.addFile({ size: 40 * 1024 * 1024 + 5 });
    const { target, link } = await fresh(file.accession);
    const segments = planSegments(file.size, { segments: 2, minSegmentSize: 1024 * 1024 });
    if (!segments) throw new Error('no segment plan');
    expect(segments).toHaveLength(5);
    const session = new RecordingSession(join(dir, `${file.fileName}.order.part`), link);
    let mostInFlight = 0;
    let startedOutOfOrder = false;
    session.onProgress = () => {
      const started = segments.map((s) => s.done > 0);
      const inFlight = segments.filter((s) => s.done > 0 && s.start + s.done < s.end).length;
      mostInFlight = Math.max(mostInFlight, inFlight);
      // Started pieces are a prefix of the map but for the (at most two) being opened right now.
      if (started.lastIndexOf(true) >= started.indexOf(false) + 2 && started.indexOf(false) >= 0) {
        startedOutOfOrder = true;
      }
    };
    const result = await downloadSegmented(session, request(target, await link(), 2), segments);
    await session.close();

    expect(result).toEqual({ digest: file.md5, size: file.size });
    expect(mostInFlight).toBeLessThanOrEqual(2);
    expect(startedOutOfOrder).toBe(false);
    // Every piece after the first two rode on the link the job started with: no portal hop per piece.
    expect(session.links).toBe(0);
  });
});
