import { createStore, type StoreApi } from 'zustand/vanilla';
import type { DrsObject } from '../../src-shared/domain/drs.ts';
import type { PortalFile, SearchFilter, SearchPage } from '../../src-shared/domain/portal.ts';
import type { InvokeOutput } from '../../src-shared/ipc/contract.ts';
import { unavailableReason } from '../../src-shared/portal-availability.ts';
import { errorMessage, type Transport } from '../api/transport.ts';

export type Details =
  | { status: 'loading'; file: PortalFile }
  | { status: 'ready'; file: PortalFile; object: DrsObject }
  | { status: 'failed'; file: PortalFile; message: string };

export interface BrowseState {
  query: string;
  filters: readonly SearchFilter[];
  from: number;
  limit: number;
  page: SearchPage | null;
  loading: boolean;
  error: string | null;
  /** Accessions picked for the queue; kept across pages. */
  selected: ReadonlySet<string>;
  details: Details | null;
  setQuery(query: string): void;
  search(from?: number): Promise<void>;
  toggleFilter(field: string, value: string): void;
  clearFilters(): void;
  toggleSelected(accession: string): void;
  setPageSelected(selected: boolean): void;
  showDetails(file: PortalFile | null): Promise<void>;
  /** Queues the selected files with the profile; clears the selection on success. */
  addSelected(profile: string | undefined): Promise<InvokeOutput<'queue:add'>>;
}
export type BrowseStore = StoreApi<BrowseState>;

/** A fixed sort keeps pages stable while the portal's index updates (PORTAL.md). */
const SORT = '-date_created';

export function createBrowseStore(transport: Transport, profile: () => string | undefined): BrowseStore {
  let searchGen = 0;
  let detailsGen = 0;
  return createStore<BrowseState>()((set, get) => ({
    query: '',
    filters: [],
    from: 0,
    limit: 25,
    page: null,
    loading: false,
    error: null,
    selected: new Set(),
    details: null,
    setQuery: (query) => set({ query }),
    async search(from = 0) {
      const mine = ++searchGen;
      const { query, filters, limit } = get();
      set({ loading: true, error: null, from });
      try {
        const page = await transport.invoke('portal:search', {
          profile: profile(),
          query: query.trim() || undefined,
          filters: [...filters],
          from,
          limit,
          sort: SORT,
        });
        if (mine === searchGen) set({ page, loading: false });
      } catch (error) {
        if (mine === searchGen) set({ loading: false, error: `Search failed: ${errorMessage(error)}` });
      }
    },
    toggleFilter(field, value) {
      const filters = get().filters;
      const on = filters.some((f) => f.field === field && f.value === value);
      set({
        filters: on
          ? filters.filter((f) => !(f.field === field && f.value === value))
          : [...filters, { field, value }],
      });
      void get().search(0);
    },
    clearFilters() {
      set({ filters: [] });
      void get().search(0);
    },
    toggleSelected(accession) {
      const selected = new Set(get().selected);
      if (selected.has(accession)) selected.delete(accession);
      else selected.add(accession);
      set({ selected });
    },
    setPageSelected(on) {
      const selected = new Set(get().selected);
      for (const item of get().page?.items ?? []) {
        if (on && unavailableReason(item.status) !== undefined) continue; // cannot be downloaded
        if (on) selected.add(item.accession);
        else selected.delete(item.accession);
      }
      set({ selected });
    },
    async showDetails(file) {
      const mine = ++detailsGen;
      if (!file) {
        set({ details: null });
        return;
      }
      set({ details: { status: 'loading', file } });
      try {
        const { results } = await transport.invoke('objects:resolve', {
          ids: [file.accession],
          profile: profile(),
        });
        if (mine !== detailsGen) return;
        const result = results[0];
        if (result?.ok) set({ details: { status: 'ready', file, object: result.object } });
        else
          set({
            details: { status: 'failed', file, message: result?.error.message ?? 'No answer for this file.' },
          });
      } catch (error) {
        if (mine === detailsGen) set({ details: { status: 'failed', file, message: errorMessage(error) } });
      }
    },
    async addSelected(chosenProfile) {
      const items = [...get().selected];
      const result = await transport.invoke('queue:add', { items, profile: chosenProfile });
      set({ selected: new Set() });
      return result;
    },
  }));
}
