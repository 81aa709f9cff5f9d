/** Writes bytes at a file position, in order: the sink's write. */
export type PositionedWrite = (chunks: readonly Buffer[], position: number) => Promise<void>;

/**
 * Socket chunks (about 64 KiB) are written as they come while the disk keeps up; while a write is in flight the
 * next ones gather, up to WRITE_BATCH bytes. So a fast link gets large writes that overlap the network and the
 * hash (done in the sink), and a slow link still sees every chunk on disk (and in the progress) at once. Order
 * is kept: a write starts only after the previous one finished, so the sink sees bytes in sequence. Once a write
 * succeeded its chunks are given back (`release`: the receive slabs are read into again): they are on disk.
 */
const WRITE_BATCH = 1024 * 1024;

/** Writes chunks in order, one write at a time, gathering what arrives meanwhile into the next write. */
export class BatchWriter {
  private readonly write: PositionedWrite;
  private batch: Buffer[] = [];
  private batchBytes = 0;
  private next: number;
  private writing: Promise<void> | undefined;
  private failure: unknown;
  private readonly release: (chunks: readonly Buffer[]) => void;

  constructor(write: PositionedWrite, start: number, release: (chunks: readonly Buffer[]) => void) {
    this.write = write;
    this.next = start;
    this.release = release;
  }

  /** Queues a chunk; true when a full batch is waiting (the caller should wait for `idle`). */
  add(chunk: Buffer): boolean {
    if (this.failure !== undefined) throw this.failure;
    this.batch.push(chunk);
    this.batchBytes += chunk.length;
    this.kick();
    return this.batchBytes >= WRITE_BATCH;
  }

  /** Resolves when the write in flight is done; rethrows a failed write. */
  async idle(): Promise<void> {
    await this.writing;
    if (this.failure !== undefined) throw this.failure;
  }

  /** Writes everything queued; rethrows a failed write. */
  async drain(): Promise<void> {
    while (this.writing) await this.writing;
    if (this.failure !== undefined) throw this.failure;
  }

  private kick(): void {
    if (this.writing || this.batchBytes === 0 || this.failure !== undefined) return;
    // Handed over as received for one writev (views of a few slabs): copying them into one buffer costs a copy.
    const chunks = this.batch;
    const at = this.next;
    this.next += this.batchBytes;
    this.batch = [];
    this.batchBytes = 0;
    this.writing = this.write(chunks, at).then(
      () => {
        this.writing = undefined;
        this.release(chunks);
        this.kick();
      },
      (error: unknown) => {
        this.writing = undefined;
        this.failure = error;
      },
    );
  }
}
