import { type FileHandle, open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from './atomic-file.ts';
import { GroupCommit } from './group-commit.ts';
import { type JobRecord, reviveRecord, reviveVerified, type VerifiedEntry } from './job-record.ts';
import { lockQueue, type QueueLock } from './queue-lock.ts';

export type { JobRecord, TransferState, VerifiedEntry } from './job-record.ts';

/**
 * The queue on disk, crash-safe: an append-only journal of JSON lines, each a whole job record, a removal, or a
 * verification-cache entry; the last line for an id wins. A kill at any moment loses at most the lines not
 * yet written (a fraction of a second of progress); a torn last line is ignored. The journal is compacted
 * (rewritten atomically with only live entries) on open and whenever it grows past twice the live count.
 *
 * Writes are batched: put() only marks a record dirty; dirty records are written every flushIntervalMs, or
 * at once (and fsynced) when a caller asks with `urgent` (state changes) or calls flush(). Urgent writes are
 * group commits: at most one write runs and one waits; everything marked while one runs goes into the one
 * waiting, so jobs that finish together cost one append and one fsync, not one each.
 */
const HEADER = JSON.stringify({ t: 'v', v: 1 });

type Line =
  | { t: 'v'; v: number }
  | { t: 'job'; r: unknown }
  | { t: 'del'; id: string }
  | { t: 'ok'; e: unknown }
  | { t: 'unok'; p: string };

export interface JobStoreOptions {
  dataDir: string;
  fileName?: string;
  flushIntervalMs?: number;
  /** Called when a write fails (the data folder's disk is full, say); the store retries on the next flush. */
  onError?: (error: unknown) => void;
}

export class JobStore {
  readonly path: string;
  private readonly records = new Map<string, JobRecord>();
  private readonly verified = new Map<string, VerifiedEntry>();
  private readonly pendingJobs = new Set<string>();
  private readonly pendingVerified = new Set<string>();
  private readonly flushIntervalMs: number;
  private readonly onError: (error: unknown) => void;
  private handle: FileHandle | undefined;
  private lines = 0;
  private needsCompaction = false;
  private syncRequested = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly writes = new GroupCommit(() => this.write());
  private closed = false;
  private lock: QueueLock | undefined;

  private constructor(options: JobStoreOptions) {
    this.path = join(options.dataDir, options.fileName ?? 'queue.jsonl');
    this.flushIntervalMs = options.flushIntervalMs ?? 250;
    this.onError = options.onError ?? (() => {});
  }

  static async open(options: JobStoreOptions): Promise<JobStore> {
    const store = new JobStore(options);
    store.lock = await lockQueue(options.dataDir, `${options.fileName ?? 'queue.jsonl'}.lock`);
    try {
      await store.load();
    } catch (error) {
      await store.lock.release();
      throw error;
    }
    return store;
  }

  /** Every record, in queue order. */
  list(): JobRecord[] {
    return [...this.records.values()].sort((a, b) => a.order - b.order);
  }

  get(id: string): JobRecord | undefined {
    return this.records.get(id);
  }

  get size(): number {
    return this.records.size;
  }

  /** Records (or re-records) a job. The object is serialised at write time, so later edits are picked up. */
  put(record: JobRecord, options: { urgent?: boolean } = {}): void {
    this.records.set(record.job.id, record);
    this.pendingJobs.add(record.job.id);
    this.schedule(options.urgent === true);
  }

  remove(id: string): void {
    if (!this.records.delete(id)) return;
    this.pendingJobs.add(id);
    this.schedule(true);
  }

  getVerified(path: string): VerifiedEntry | undefined {
    return this.verified.get(path);
  }

  putVerified(entry: VerifiedEntry): void {
    this.verified.set(entry.path, entry);
    this.pendingVerified.add(entry.path);
    this.schedule(false);
  }

  removeVerified(path: string): void {
    if (!this.verified.delete(path)) return;
    this.pendingVerified.add(path);
    this.schedule(false);
  }

  /** Writes everything pending now and fsyncs the journal. */
  flush(): Promise<void> {
    this.syncRequested = true;
    return this.enqueueWrite();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    try {
      await this.flush();
    } finally {
      this.closed = true;
      clearTimeout(this.timer);
      await this.writes.settled();
      await this.handle?.close();
      this.handle = undefined;
      await this.lock?.release();
    }
  }

  /** Journal lines written since the last compaction (for tests and diagnostics). */
  get journalLines(): number {
    return this.lines;
  }

  private schedule(urgent: boolean): void {
    if (this.closed) return;
    if (urgent) {
      this.syncRequested = true;
      if (this.timer) clearTimeout(this.timer);
      this.timer = setTimeout(() => this.fire(), 0);
    } else if (!this.timer) {
      this.timer = setTimeout(() => this.fire(), this.flushIntervalMs);
    }
    this.timer.unref?.();
  }

  private fire(): void {
    this.timer = undefined;
    this.enqueueWrite().catch(() => {});
  }

  /** The write that will take everything marked so far: the waiting one, or a new one after the running one. */
  private enqueueWrite(): Promise<void> {
    return this.writes.next();
  }

  private takePending(): string[] {
    const out: string[] = [];
    for (const id of this.pendingJobs) {
      const record = this.records.get(id);
      out.push(JSON.stringify(record ? { t: 'job', r: record } : { t: 'del', id }));
    }
    for (const path of this.pendingVerified) {
      const entry = this.verified.get(path);
      out.push(JSON.stringify(entry ? { t: 'ok', e: entry } : { t: 'unok', p: path }));
    }
    this.pendingJobs.clear();
    this.pendingVerified.clear();
    return out;
  }

  private async write(): Promise<void> {
    if (this.closed) return;
    const sync = this.syncRequested;
    this.syncRequested = false;
    try {
      if (this.needsCompaction || this.lines > Math.max(1000, 2 * (this.records.size + this.verified.size))) {
        this.takePending();
        await this.compact();
        return;
      }
      const lines = this.takePending();
      if (lines.length === 0 && !sync) return;
      if (lines.length > 0) {
        const handle = await this.appendHandle();
        await handle.write(`${lines.join('\n')}\n`);
        this.lines += lines.length;
      }
      if (sync) await this.handle?.datasync();
    } catch (error) {
      // A failed append may have left half a line: rewrite the whole journal on the next try.
      this.needsCompaction = true;
      this.onError(error);
      this.schedule(false);
      throw error;
    }
  }

  private async appendHandle(): Promise<FileHandle> {
    this.handle ??= await open(this.path, 'a', 0o600);
    return this.handle;
  }

  private async compact(): Promise<void> {
    const out = [HEADER];
    for (const record of this.list()) out.push(JSON.stringify({ t: 'job', r: record }));
    for (const entry of this.verified.values()) out.push(JSON.stringify({ t: 'ok', e: entry }));
    await this.handle?.close();
    this.handle = undefined;
    await writeFileAtomic(this.path, `${out.join('\n')}\n`);
    this.lines = out.length;
    this.needsCompaction = false;
  }

  private async load(): Promise<void> {
    let text = '';
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as { code?: string }).code !== 'ENOENT') throw error;
    }
    const lines = text.split('\n');
    let damaged = !text.endsWith('\n') && text.length > 0;
    for (const raw of lines) {
      if (raw === '') continue;
      let line: Line;
      try {
        line = JSON.parse(raw) as Line;
      } catch {
        damaged = true;
        continue;
      }
      // A line that parses but is not an object (`null`, `7`) is damage too, not a crash.
      if (typeof line !== 'object' || line === null) {
        damaged = true;
        continue;
      }
      this.apply(line);
    }
    this.lines = lines.length;
    if (damaged || text.length === 0 || this.lines > 2 * (this.records.size + this.verified.size) + 100) {
      await this.compact();
    }
  }

  private apply(line: Line): void {
    if (line.t === 'job') {
      const record = reviveRecord(line.r);
      if (record) this.records.set(record.job.id, record);
    } else if (line.t === 'del') {
      this.records.delete(line.id);
    } else if (line.t === 'ok') {
      const entry = reviveVerified(line.e);
      if (entry) this.verified.set(entry.path, entry);
    } else if (line.t === 'unok') {
      this.verified.delete(line.p);
    }
  }
}
