import { createStore, type StoreApi } from 'zustand/vanilla';
import type { FilePreview } from '../../src-shared/domain/drs.ts';
import type { ErrorInfo } from '../../src-shared/domain/errors.ts';
import type { ManifestItem, ManifestResult } from '../../src-shared/domain/ids.ts';
import type { InvokeOutput } from '../../src-shared/ipc/contract.ts';
import { errorMessage, type Transport } from '../api/transport.ts';
import { resolveInChunks } from './resolve-chunks.ts';

export type RowStatus =
  | { kind: 'pending' }
  | { kind: 'resolved'; file: FilePreview }
  | { kind: 'failed'; error: ErrorInfo };

export interface DiskSpace {
  dir: string;
  free: number;
  total: number;
}

/** The Add view's state: the text, its parse, each item's resolution, and where the files go. */
export interface AddState {
  text: string;
  fileName: string | undefined;
  parsing: boolean;
  parseError: string | null;
  manifest: ManifestResult | null;
  /** Resolution by item key. */
  rows: ReadonlyMap<string, RowStatus>;
  /** Item keys to download. */
  checked: ReadonlySet<string>;
  destDir: string;
  profile: string | undefined;
  disk: DiskSpace | null;
  diskError: string | null;
  /** The destination's check: refused folders stop the Download button, saying why. */
  folder: InvokeOutput<'folder:check'> | null;
  submitting: boolean;
  /** Sets the text (typed, pasted or dropped) and parses it after a short pause. */
  setText(text: string, fileName?: string): void;
  parseNow(): Promise<void>;
  setDestDir(dir: string): void;
  setProfile(profile: string | undefined): void;
  /** Defaults from settings; a folder or profile the user chose is kept. */
  applyDefaults(defaults: { destDir?: string; profile?: string }): void;
  toggle(key: string): void;
  setAllChecked(checked: boolean): void;
  /** Queues the checked items (the whole text when all are checked, so manifest hints travel along). */
  download(): Promise<InvokeOutput<'queue:add'>>;
  reset(): void;
}
export type AddStore = StoreApi<AddState>;

export interface AddStoreOptions {
  parseDelayMs?: number;
  diskDelayMs?: number;
  chunkSize?: number;
}

export function createAddStore(transport: Transport, options: AddStoreOptions = {}): AddStore {
  const parseDelay = options.parseDelayMs ?? 300;
  const diskDelay = options.diskDelayMs ?? 400;
  let parseTimer: ReturnType<typeof setTimeout> | undefined;
  let diskTimer: ReturnType<typeof setTimeout> | undefined;
  let parseGen = 0;
  let resolveGen = 0;
  let diskGen = 0;
  let destDirChosen = false;
  let profileChosen = false;

  return createStore<AddState>()((set, get) => {
    const resolveAll = async (items: readonly ManifestItem[]) => {
      const mine = ++resolveGen;
      const keysByInput = new Map<string, string[]>();
      for (const item of items)
        keysByInput.set(item.input, [...(keysByInput.get(item.input) ?? []), item.key]);
      set({ rows: new Map(items.map((item) => [item.key, { kind: 'pending' } as RowStatus])) });
      if (items.length === 0) return;
      await resolveInChunks(transport, [...keysByInput.keys()], get().profile, {
        chunkSize: options.chunkSize,
        isCurrent: () => mine === resolveGen,
        onResults(results) {
          const rows = new Map(get().rows);
          // What cannot be fetched (not found, restricted, not uploaded yet) starts unticked, with its reason
          // in the row: the button then counts only what will download. A person may still tick it.
          let checked: Set<string> | null = null;
          for (const result of results) {
            const status: RowStatus = result.ok
              ? { kind: 'resolved', file: result.file }
              : { kind: 'failed', error: result.error };
            for (const key of keysByInput.get(result.input) ?? []) {
              rows.set(key, status);
              if (!result.ok && get().checked.has(key)) {
                checked ??= new Set(get().checked);
                checked.delete(key);
              }
            }
          }
          set(checked ? { rows, checked } : { rows });
        },
      });
    };

    const checkFolder = async (dir: string): Promise<InvokeOutput<'folder:check'> | null> => {
      try {
        return await transport.invoke('folder:check', dir ? { dir } : {});
      } catch {
        return null; // a host without the check: the engine still refuses the folder when it starts
      }
    };

    const checkDisk = () => {
      clearTimeout(diskTimer);
      diskTimer = setTimeout(async () => {
        const mine = ++diskGen;
        const dir = get().destDir.trim();
        void checkFolder(dir).then((folder) => {
          if (mine === diskGen) set({ folder });
        });
        try {
          const disk = await transport.invoke('disk:space', dir ? { dir } : {});
          if (mine === diskGen) set({ disk, diskError: null });
        } catch (error) {
          if (mine === diskGen) set({ disk: null, diskError: errorMessage(error) });
        }
      }, diskDelay);
    };

    return {
      text: '',
      fileName: undefined,
      parsing: false,
      parseError: null,
      manifest: null,
      rows: new Map(),
      checked: new Set(),
      destDir: '',
      profile: undefined,
      disk: null,
      diskError: null,
      folder: null,
      submitting: false,
      setText(text, fileName) {
        set({ text, fileName });
        clearTimeout(parseTimer);
        parseTimer = setTimeout(() => void get().parseNow(), parseDelay);
      },
      async parseNow() {
        clearTimeout(parseTimer);
        const mine = ++parseGen;
        const { text, fileName } = get();
        if (!text.trim()) {
          resolveGen++;
          set({ manifest: null, rows: new Map(), checked: new Set(), parsing: false, parseError: null });
          return;
        }
        set({ parsing: true, parseError: null });
        try {
          const manifest = await transport.invoke('ids:parse', fileName ? { text, fileName } : { text });
          if (mine !== parseGen) return;
          set({ manifest, parsing: false, checked: new Set(manifest.items.map((item) => item.key)) });
          checkDisk();
          await resolveAll(manifest.items);
        } catch (error) {
          if (mine === parseGen) set({ parsing: false, parseError: errorMessage(error) });
        }
      },
      setDestDir(destDir) {
        destDirChosen = true;
        set({ destDir });
        checkDisk();
      },
      setProfile(profile) {
        profileChosen = true;
        set({ profile });
        const manifest = get().manifest;
        if (manifest) void resolveAll(manifest.items);
      },
      applyDefaults(defaults) {
        if (!destDirChosen && defaults.destDir !== undefined && defaults.destDir !== get().destDir) {
          set({ destDir: defaults.destDir });
          checkDisk();
        }
        if (!profileChosen && defaults.profile !== get().profile) {
          set({ profile: defaults.profile });
          const manifest = get().manifest;
          if (manifest) void resolveAll(manifest.items);
        }
      },
      toggle(key) {
        const checked = new Set(get().checked);
        if (checked.has(key)) checked.delete(key);
        else checked.add(key);
        set({ checked });
      },
      setAllChecked(all) {
        const items = get().manifest?.items ?? [];
        set({ checked: all ? new Set(items.map((item) => item.key)) : new Set() });
      },
      async download() {
        const { manifest, checked, text, fileName, profile, destDir } = get();
        const items = manifest?.items ?? [];
        const chosen = items.filter((item) => checked.has(item.key));
        const dest = destDir.trim() || undefined;
        const input =
          chosen.length === items.length
            ? { text, fileName, profile, destDir: dest }
            : { items: chosen.map((item) => item.input), profile, destDir: dest };
        set({ submitting: true });
        try {
          // Asked again now: the folder may have changed since the debounced check, and nothing is queued
          // into a folder that cannot hold it.
          const folder = await checkFolder(dest ?? '');
          if (folder) set({ folder });
          if (folder && !folder.ok) throw new Error(folder.message);
          return await transport.invoke('queue:add', input);
        } finally {
          set({ submitting: false });
        }
      },
      reset() {
        clearTimeout(parseTimer);
        parseGen++;
        resolveGen++;
        set({
          text: '',
          fileName: undefined,
          manifest: null,
          rows: new Map(),
          checked: new Set(),
          parseError: null,
        });
      },
    };
  });
}
