import { Worker } from 'node:worker_threads';
import type { HashAlgorithm } from './checksum.ts';

/**
 * One worker thread that hashes files as they are written, reading them back from the page cache. Hashing on
 * the main thread took as long as receiving (md5: about 1.2 s per GiB here) and stalled the sockets meanwhile;
 * here it runs beside them. Reading back, rather than handing the received buffers over, needs no copy and keeps
 * no buffer alive longer than the write. The worker is its own source text (eval), so no bundler has to find a
 * second entry file; it is only referenced (keeps the process alive) while an answer is awaited.
 *
 * The worker reads one slice at a time, taking turns between files and reading its messages in between: a
 * resumed 50 GB file re-hashing its prefix must not keep a small file waiting for its digest, nor a pause or a
 * quit waiting for the prefix.
 */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const { openSync, readSync, closeSync, constants } = require('node:fs');
// Never read through a link swapped in for the .part (see file-system.ts).
const READ_NOFOLLOW = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0);
const SLICE = 16 * 1024 * 1024;
const buffer = Buffer.allocUnsafe(4 * 1024 * 1024);
const files = new Map();
let turn = [];
let scheduled = false;

function close(id) {
  const file = files.get(id);
  files.delete(id);
  if (file && file.fd !== undefined) closeSync(file.fd);
}

function fail(id, error) {
  const file = files.get(id);
  close(id);
  if (file && file.finishing) parentPort.postMessage({ id, error: String((error && error.message) || error) });
}

/** Reads up to one slice of the file's wanted range; answers and closes it when finished. */
function step(id) {
  const file = files.get(id);
  if (!file) return;
  try {
    if (file.fd === undefined) file.fd = openSync(file.path, READ_NOFOLLOW);
    const stop = Math.min(file.wanted, file.hashed + SLICE);
    while (file.hashed < stop) {
      const read = readSync(file.fd, buffer, 0, Math.min(buffer.length, stop - file.hashed), file.hashed);
      if (read === 0) {
        // Shorter than asked: never a digest of a file that is not all there.
        file.wanted = file.hashed;
        break;
      }
      file.hash.update(buffer.subarray(0, read));
      file.hashed += read;
    }
    if (file.finishing && file.hashed >= file.wanted) {
      parentPort.postMessage({ id, hashed: file.hashed, digest: file.hash.digest('hex') });
      close(id);
    }
  } catch (error) {
    fail(id, error);
  }
}

function pending(file) {
  return file.hashed < file.wanted || file.finishing;
}

/** One slice for the next file with work, then back to the message queue. */
function run() {
  scheduled = false;
  for (let tries = files.size; tries > 0; tries--) {
    if (turn.length === 0) turn = [...files.keys()];
    const id = turn.shift();
    const file = files.get(id);
    if (file && pending(file)) {
      step(id);
      break;
    }
  }
  schedule();
}

function schedule() {
  if (scheduled) return;
  for (const file of files.values()) {
    if (pending(file)) {
      scheduled = true;
      setImmediate(run);
      return;
    }
  }
}

parentPort.on('message', (m) => {
  if (m.type === 'open') {
    files.set(m.id, { path: m.path, fd: undefined, hash: createHash(m.algorithm), hashed: 0, wanted: 0, finishing: false });
  } else if (m.type === 'close') {
    close(m.id);
  } else {
    const file = files.get(m.id);
    if (!file) {
      if (m.type === 'finish') parentPort.postMessage({ id: m.id, error: 'not open (an earlier read failed)' });
      return;
    }
    file.wanted = Math.max(file.wanted, m.end);
    if (m.type === 'finish') {
      file.wanted = m.end;
      file.finishing = true;
    }
    // At most one slice to go (a small file, or the next step of one being written): at once, as it is bounded.
    if (file.wanted - file.hashed <= SLICE) step(m.id);
  }
  schedule();
});
`;

interface Answer {
  id: number;
  hashed?: number;
  digest?: string;
  error?: string;
}

interface Waiter {
  worker: Worker;
  resolve: (answer: Answer) => void;
}

class HashWorker {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly waiting = new Map<number, Waiter>();

  private get thread(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(WORKER_SOURCE, { eval: true });
    worker.unref();
    worker.on('message', (answer: Answer) => this.settle(answer));
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
      this.waiting.set(id, { worker, resolve });
      this.updateRef(worker);
      worker.postMessage({ type: 'finish', id, end });
    });
  }

  /** Drops the file, and answers a pending finish with no digest at once. */
  close(id: number): void {
    this.worker?.postMessage({ type: 'close', id });
    this.settle({ id, error: 'closed' });
  }

  private settle(answer: Answer): void {
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
