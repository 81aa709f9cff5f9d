import type { JobRecord } from '../../store/job-record.ts';

/**
 * The queue in memory: records in run order, with indexes by de-duplication key and by final path.
 * `firstQueued` remembers how far the front of the queue is settled, so scheduling over a 10,000-file list
 * does not rescan finished jobs each time one ends.
 */
export class JobTable {
  private readonly byId = new Map<string, JobRecord>();
  private ordered: JobRecord[] = [];
  private readonly keys = new Map<string, string>();
  private readonly paths = new Map<string, string>();
  private nextOrder = 0;
  private scanFrom = 0;

  get size(): number {
    return this.byId.size;
  }

  get(id: string): JobRecord | undefined {
    return this.byId.get(id);
  }

  all(): readonly JobRecord[] {
    return this.ordered;
  }

  /** Adds a record at the end of the queue (or, when it has an order from the store, in its place). */
  insert(record: JobRecord, keepOrder = false): void {
    if (!keepOrder) record.order = this.nextOrder;
    this.nextOrder = Math.max(this.nextOrder, Math.floor(record.order) + 1);
    this.byId.set(record.job.id, record);
    if (keepOrder && this.ordered.length > 0 && (this.ordered.at(-1) as JobRecord).order > record.order) {
      this.ordered.push(record);
      this.ordered.sort((a, b) => a.order - b.order);
    } else {
      this.ordered.push(record);
    }
    this.keys.set(keyOf(record.job.destDir, record.key), record.job.id);
    if (record.job.path) this.paths.set(record.job.path, record.job.id);
  }

  remove(ids: ReadonlySet<string>): void {
    for (const id of ids) {
      const record = this.byId.get(id);
      if (!record) continue;
      this.byId.delete(id);
      const key = keyOf(record.job.destDir, record.key);
      if (this.keys.get(key) === id) this.keys.delete(key);
      if (record.job.path && this.paths.get(record.job.path) === id) this.paths.delete(record.job.path);
    }
    this.ordered = this.ordered.filter((r) => !ids.has(r.job.id));
    this.scanFrom = 0;
  }

  findByKey(destDir: string, key: string): JobRecord | undefined {
    const id = this.keys.get(keyOf(destDir, key));
    return id === undefined ? undefined : this.byId.get(id);
  }

  /** Claims a final path for job `id`, releasing the one it held; false when another job holds it. */
  claimPath(path: string, id: string): boolean {
    const holder = this.paths.get(path);
    if (holder !== undefined && holder !== id && this.byId.has(holder)) return false;
    const previous = this.byId.get(id)?.job.path;
    if (previous !== undefined && previous !== path && this.paths.get(previous) === id)
      this.paths.delete(previous);
    this.paths.set(path, id);
    return true;
  }

  /** Something became queued: the next scan starts from the front again. */
  requeued(): void {
    this.scanFrom = 0;
  }

  /** Queued records in order, for the scheduler to start as slots allow. */
  *queued(): Generator<JobRecord> {
    let settled = true;
    for (let i = this.scanFrom; i < this.ordered.length; i++) {
      const record = this.ordered[i] as JobRecord;
      if (record.job.state === 'queued') {
        settled = false;
        yield record;
      } else if (settled) {
        this.scanFrom = i + 1;
      }
    }
  }

  /**
   * Moves `ids` (in the given order) to the front, so they run next. Only the moved records get a new
   * order (below the lowest there is), so a 10,000-file queue persists and announces only those.
   */
  moveToFront(ids: readonly string[]): JobRecord[] {
    const moving = [...new Set(ids)]
      .map((id) => this.byId.get(id))
      .filter((r): r is JobRecord => r !== undefined);
    if (moving.length === 0) return [];
    const movingIds = new Set(moving.map((r) => r.job.id));
    const rest = this.ordered.filter((r) => !movingIds.has(r.job.id));
    const lowest = rest[0]?.order ?? 0;
    moving.forEach((record, index) => {
      record.order = lowest - moving.length + index;
    });
    this.ordered = [...moving, ...rest];
    this.scanFrom = 0;
    return moving;
  }

  /** Moves `ids` (in the given order) before `before`, or to the end; returns the records whose order changed. */
  reorder(ids: readonly string[], before: string | null): JobRecord[] | undefined {
    const moving = ids.map((id) => this.byId.get(id)).filter((r): r is JobRecord => r !== undefined);
    const movingIds = new Set(moving.map((r) => r.job.id));
    if (before !== null && (movingIds.has(before) || !this.byId.has(before))) return undefined;
    const rest = this.ordered.filter((r) => !movingIds.has(r.job.id));
    const at = before === null ? rest.length : rest.findIndex((r) => r.job.id === before);
    this.ordered = [...rest.slice(0, at), ...moving, ...rest.slice(at)];
    const changed: JobRecord[] = [];
    this.ordered.forEach((record, index) => {
      if (record.order !== index) {
        record.order = index;
        changed.push(record);
      }
    });
    this.nextOrder = this.ordered.length;
    this.scanFrom = 0;
    return changed;
  }
}

function keyOf(destDir: string, key: string): string {
  return `${destDir}\n${key}`;
}
