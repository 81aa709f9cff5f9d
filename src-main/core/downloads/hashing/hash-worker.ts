import { Worker } from 'node:worker_threads';
import type { HashAlgorithm } from './checksum.ts';
import type { HashAnswer, HashRequest } from './hash-thread.ts';

/**
 * One worker thread (hash-thread.ts) that hashes files as they are written, reading them back from the page
 * cache. Hashing on the main thread took as long as receiving (md5: about 1.2 s per GiB here) and stalled the
 * sockets meanwhile; there it runs beside them. Reading back, rather than handing the received buffers over,
 * needs no copy and keeps no buffer alive longer than the write. The thread is only referenced (keeps the
 * process alive) while an answer is awaited.
 */
function startThread(): Worker {
  // Written out in full so the build finds it: electron.vite.config.ts emits the file as a chunk and points this
  // URL at it; run from the sources (tests, `node`), node strips the types of the .ts itself.
  return new Worker(new URL('./hash-thread.ts', import.meta.url));
}

/** Every message to the thread is one of its requests. */
function post(worker: Worker | undefined, request: HashRequest): void {
  worker?.postMessage(request);
}

interface Waiter {
  worker: Worker;
  resolve: (answer: HashAnswer) => void;
}

class HashWorker {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly waiting = new Map<number, Waiter>();

  private get thread(): Worker {
    if (this.worker) return this.worker;
    const worker = startThread();
    worker.unref();
    worker.on('message', (answer: HashAnswer) => this.settle(answer));
    const fail = (error: unknown) => {
      // Every file it held is lost: their hashers fall back to hashing on this thread. Only its own waiters:
      // a new worker may already have taken over.
      if (this.worker === worker) this.worker = undefined;
      for (const [id, waiter] of [...this.waiting]) {
        if (waiter.worker === worker) this.settle({ id, error: String(error) });
      }
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(`hash worker exited (${code})`));
    this.worker = worker;
    return worker;
  }

  open(path: string, algorithm: HashAlgorithm): number {
    const id = this.nextId++;
    post(this.thread, { type: 'open', id, path, algorithm });
    return id;
  }

  hashTo(id: number, end: number): void {
    post(this.worker, { type: 'hash', id, end });
  }

  /** Hashes up to `end` and answers with the digest; the file is closed either way. */
  finish(id: number, end: number): Promise<HashAnswer> {
    const worker = this.worker;
    if (!worker) return Promise.resolve({ id, error: 'hash worker not running' });
    return new Promise((resolve) => {
      this.waiting.set(id, { worker, resolve });
      this.updateRef(worker);
      post(worker, { type: 'finish', id, end });
    });
  }

  /** Drops the file, and answers a pending finish with no digest at once. */
  close(id: number): void {
    post(this.worker, { type: 'close', id });
    this.settle({ id, error: 'closed' });
  }

  private settle(answer: HashAnswer): void {
    const waiter = this.waiting.get(answer.id);
    if (!waiter) return;
    this.waiting.delete(answer.id);
    this.updateRef(waiter.worker);
    waiter.resolve(answer);
  }

  /** Referenced exactly while one of its answers is awaited. */
  private updateRef(worker: Worker): void {
    const awaited = [...this.waiting.values()].some((waiter) => waiter.worker === worker);
    if (awaited) worker.ref();
    else worker.unref();
  }
}

/** Shared by every download in the process: one thread next to the main one is what a 2-core machine can give. */
export const hashWorker = new HashWorker();
