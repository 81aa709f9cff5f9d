import type { StorageRequestLog } from './types.ts';

/** What the fake storage served: one log entry per request and body bytes per file name. */
export class StorageStats {
  #log: StorageRequestLog[] = [];
  readonly #served = new Map<string, number>();

  /** Starts a log entry; the caller updates its status and bytes as the response goes out. */
  begin(entry: Omit<StorageRequestLog, 'status' | 'bytesSent' | 'at'>): StorageRequestLog {
    const full: StorageRequestLog = { ...entry, status: 0, bytesSent: 0, at: Date.now() };
    if (full.range === undefined) delete full.range;
    this.#log.push(full);
    return full;
  }

  addBytes(entry: StorageRequestLog, count: number): void {
    entry.bytesSent += count;
    this.#served.set(entry.fileName, (this.#served.get(entry.fileName) ?? 0) + count);
  }

  bytesServed(fileName: string): number {
    return this.#served.get(fileName) ?? 0;
  }

  requests(): StorageRequestLog[] {
    return this.#log.map((entry) => ({ ...entry }));
  }

  authorizationSent(): boolean {
    return this.#log.some((entry) => entry.hadAuthorization);
  }

  reset(): void {
    this.#log = [];
    this.#served.clear();
  }
}
