import { Worker } from 'node:worker_threads';
import type { HashAlgorithm } from './checksum.ts';

/**
 * One worker thread that hashes files as they are written, reading them back from the page cache. Hashing on
 * the main thread took as long as receiving (md5: about 1.2 s per GiB here) and stalled the sockets meanwhile;
 * here it runs beside them. Reading back, rather than handing the received buffers over, needs no copy and keeps
 * no buffer alive longer than the write. The worker is its own source text (eval), so no bundler has to find a
 * second entry file; it is only referenced (keeps the process alive) while an answer is awaited.
 */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const { openSync, readSync, closeSync } = require('node:fs');
const buffer = Buffer.allocUnsafe(4 * 1024 * 1024);
const files = new Map();
function close(id) {
  const file = files.get(id);
  files.delete(id);
  if (file && file.fd !== undefined) closeSync(file.fd);
}
parentPort.on('message', (m) => {
  try {
    if (m.type === 'open') return void files.set(m.id, { path: m.path, fd: undefined, hash: createHash(m.algorithm), hashed: 0 });
    if (m.type === 'close') return close(m.id);
    const file = files.get(m.id);
    if (!file) {
      if (m.type === 'finish') parentPort.postMessage({ id: m.id, error: 'not open (an earlier read failed)' });
      return;
    }
    if (file.fd === undefined) file.fd = openSync(file.path, 'r');
    while (file.hashed < m.end) {
      const read = readSync(file.fd, buffer, 0, Math.min(buffer.length, m.end - file.hashed), file.hashed);
      if (read === 0) break;
      file.hash.update(buffer.subarray(0, read));
      file.hashed += read;
    }
    if (m.type === 'finish') {
      parentPort.postMessage({ id: m.id, hashed: file.hashed, digest: file.hash.digest('hex') });
      close(m.id);
    }
  } catch (error) {
    close(m.id);
    parentPort.postMessage({ id: m.id, error: String((error && error.message) || error) });
  }
});
`;

interface Answer {
  id: number;
  hashed?: number;
  digest?: string;
  error?: string;
}

type Settle = (answer: Answer) => void;

class HashWorker {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly waiting = new Map<number, Settle>();

  private get thread(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(WORKER_SOURCE, { eval: true });
    worker.unref();
    worker.on('message', (answer: Answer) => this.settle(answer));
    const fail = (error: unknown) => {
      // Every file it held is lost: their hashers fall back to hashing on this thread.
      if (this.worker === worker) this.worker = undefined;
      for (const id of [...this.waiting.keys()]) this.settle({ id, error: String(error) });
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(`hash worker exited (${code})`));
    this.worker = worker;
    return worker;
  }

  open(path: string, algorithm: HashAlgorithm): number {
    const id = this.nextId++;
    this.thread.postMessage({ type: 'open', id, path, algorithm });
    return id;
  }

  hashTo(id: number, end: number): void {
    this.worker?.postMessage({ type: 'hash', id, end });
  }

  /** Hashes up to `end` and answers with the digest; the file is closed either way. */
  finish(id: number, end: number): Promise<Answer> {
    const worker = this.worker;
    if (!worker) return Promise.resolve({ id, error: 'hash worker not running' });
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      if (this.waiting.size === 1) worker.ref();
      worker.postMessage({ type: 'finish', id, end });
    });
  }

  close(id: number): void {
    this.worker?.postMessage({ type: 'close', id });
  }

  private settle(answer: Answer): void {
    const resolve = this.waiting.get(answer.id);
    if (!resolve) return;
    this.waiting.delete(answer.id);
    if (this.waiting.size === 0) this.worker?.unref();
    resolve(answer);
  }
}

/** Shared by every download in the process: one thread next to the main one is what a 2-core machine can give. */
export const hashWorker = new HashWorker();
