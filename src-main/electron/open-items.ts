import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { EventPayload } from '../../src-shared/ipc/contract.ts';
import type { LaunchRequest } from './drs-link.ts';

type OpenItems = EventPayload<'app:open-items'>;

/** The contract's limit on one manifest's text. */
const MAX_FILE_BYTES = 64 * 1024 * 1024;
const MAX_FILES = 100;

/** Reads the list files a launch named; folders, unreadable and oversized files are reported and skipped. */
export async function readLaunchFiles(
  paths: readonly string[],
  log: (message: string) => void = () => {},
): Promise<{ name: string; text: string }[]> {
  const files: { name: string; text: string }[] = [];
  for (const path of paths.slice(0, MAX_FILES)) {
    try {
      const info = await stat(path);
      if (!info.isFile()) continue;
      if (info.size > MAX_FILE_BYTES) {
        log(`Skipped ${basename(path)}: larger than 64 MiB`);
        continue;
      }
      files.push({ name: basename(path), text: await readFile(path, 'utf8') });
    } catch (error) {
      log(`Skipped ${basename(path)}: ${(error as NodeJS.ErrnoException).code ?? 'unreadable'}`);
    }
  }
  return files;
}

/**
 * Holds what the OS handed the app until the window's page has loaded, then delivers it as one
 * app:open-items event per launch. A page that reloads stops delivery until it has loaded again.
 */
export class OpenItemsInbox {
  private readonly deliver: (payload: OpenItems) => void;
  private readonly read: (paths: readonly string[]) => Promise<{ name: string; text: string }[]>;
  private pending: OpenItems[] = [];
  private ready = false;

  constructor(options: {
    deliver: (payload: OpenItems) => void;
    readFiles?: (paths: readonly string[]) => Promise<{ name: string; text: string }[]>;
  }) {
    this.deliver = options.deliver;
    this.read = options.readFiles ?? ((paths) => readLaunchFiles(paths));
  }

  /** Whether the launch asked for anything at all (a bare relaunch only brings the window forward). */
  static isEmpty(request: LaunchRequest): boolean {
    return request.links.length === 0 && request.files.length === 0;
  }

  async add(request: LaunchRequest): Promise<void> {
    if (OpenItemsInbox.isEmpty(request)) return;
    const files = request.files.length > 0 ? await this.read(request.files) : [];
    if (request.links.length === 0 && files.length === 0) return;
    const payload: OpenItems = { items: request.links, ...(files.length > 0 ? { files } : {}) };
    if (this.ready) this.deliver(payload);
    else this.pending.push(payload);
  }

  setReady(ready: boolean): void {
    this.ready = ready;
    if (!ready) return;
    const waiting = this.pending;
    this.pending = [];
    for (const payload of waiting) this.deliver(payload);
  }
}
