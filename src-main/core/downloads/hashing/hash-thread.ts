/**
 * The hash worker's thread (started by hash-worker.ts): hashes files as they are written, reading them back from
 * the page cache. It reads one slice at a time, taking turns between files and reading its messages in between:
 * a resumed 50 GB file re-hashing its prefix must not keep a small file waiting for its digest, nor a pause or a
 * quit waiting for the prefix. Only node built-ins: under tests and `node` it runs as TypeScript (type
 * stripping), in the build it is a chunk of its own (electron.vite.config.ts).
 */
import { createHash, type Hash } from 'node:crypto';
import { closeSync, constants, openSync, readSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';

/** What the main thread asks (ids are its own). */
export type HashRequest =
  | { type: 'open'; id: number; path: string; algorithm: string }
  /** Hash on up to `end` in the background. */
  | { type: 'hash'; id: number; end: number }
  /** Hash up to exactly `end` and answer with the digest; the file is closed either way. */
  | { type: 'finish'; id: number; end: number }
  | { type: 'close'; id: number };

/** The one answer to a finish: the digest, or why there is none. */
export interface HashAnswer {
  id: number;
  hashed?: number;
  digest?: string;
  error?: string;
}

interface OpenFile {
  path: string;
  fd: number | undefined;
  hash: Hash;
  hashed: number;
  wanted: number;
  finishing: boolean;
}

// Never read through a link swapped in for the .part (see file-system.ts).
const READ_NOFOLLOW = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0);
const SLICE = 16 * 1024 * 1024;
const buffer = Buffer.allocUnsafe(4 * 1024 * 1024);
const files = new Map<number, OpenFile>();
let turn: number[] = [];
let scheduled = false;

const port = parentPort;
if (!port) throw new Error('hash-thread.ts runs as a worker thread (see hash-worker.ts).');

function answer(message: HashAnswer): void {
  port?.postMessage(message);
}

function close(id: number): void {
  const file = files.get(id);
  files.delete(id);
  if (file?.fd !== undefined) closeSync(file.fd);
}

function fail(id: number, error: unknown): void {
  const file = files.get(id);
  close(id);
  if (file?.finishing) answer({ id, error: error instanceof Error ? error.message : String(error) });
}

/** Reads up to one slice of the file's wanted range; answers and closes it when finished. */
function step(id: number): void {
  const file = files.get(id);
  if (!file) return;
  try {
    file.fd ??= openSync(file.path, READ_NOFOLLOW);
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
      answer({ id, hashed: file.hashed, digest: file.hash.digest('hex') });
      close(id);
    }
  } catch (error) {
    fail(id, error);
  }
}

function pending(file: OpenFile): boolean {
  return file.hashed < file.wanted || file.finishing;
}

/** One slice for the next file with work, then back to the message queue. */
function run(): void {
  scheduled = false;
  for (let tries = files.size; tries > 0; tries--) {
    if (turn.length === 0) turn = [...files.keys()];
    const id = turn.shift() as number;
    const file = files.get(id);
    if (file && pending(file)) {
      step(id);
      break;
    }
  }
  schedule();
}

function schedule(): void {
  if (scheduled) return;
  for (const file of files.values()) {
    if (pending(file)) {
      scheduled = true;
      setImmediate(run);
      return;
    }
  }
}

port.on('message', (m: HashRequest) => {
  if (m.type === 'open') {
    const hash = createHash(m.algorithm);
    files.set(m.id, { path: m.path, fd: undefined, hash, hashed: 0, wanted: 0, finishing: false });
  } else if (m.type === 'close') {
    close(m.id);
  } else {
    const file = files.get(m.id);
    if (!file) {
      if (m.type === 'finish') answer({ id: m.id, error: 'not open (an earlier read failed)' });
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
