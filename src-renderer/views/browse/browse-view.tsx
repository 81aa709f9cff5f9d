import { ListPlus, Search, X } from 'lucide-react';
import { useEffect, useMemo } from 'react';
import type { PortalFile } from '../../../src-shared/domain/portal.ts';
import { plural } from '../../../src-shared/format.ts';
import { unavailableReason } from '../../../src-shared/portal-availability.ts';
import { errorMessage } from '../../api/transport.ts';
import { type FileRow, FileTable } from '../../components/file-table.tsx';
import { useQueueMarks } from '../../components/queue-marks.ts';
import { ViewError } from '../../components/status-bars.tsx';
import { ViewFrame } from '../../components/view-frame.tsx';
import { useActiveProfile, useBrowse, useStores } from '../../store/context.tsx';
import { DetailsPane } from './details-pane.tsx';
import { FacetsPanel } from './facets-panel.tsx';

function browseRow(file: PortalFile): FileRow {
  return {
    key: file.accession,
    name: file.displayTitle,
    accession: file.accession,
    size: file.fileSize,
    checksumType: file.md5sum ? 'md5' : undefined,
    created: file.dateCreated,
    status: unavailableReason(file.status) ?? file.status ?? '—',
    tone: unavailableReason(file.status) ? 'warn' : 'plain',
    unavailable: unavailableReason(file.status),
  };
}

export function BrowseView() {
  const stores = useStores();
  const browse = stores.browse.getState();
  const profile = useActiveProfile();
  const query = useBrowse((s) => s.query);
  const filters = useBrowse((s) => s.filters);
  const page = useBrowse((s) => s.page);
  const from = useBrowse((s) => s.from);
  const limit = useBrowse((s) => s.limit);
  const loading = useBrowse((s) => s.loading);
  const error = useBrowse((s) => s.error);
  const selected = useBrowse((s) => s.selected);
  const details = useBrowse((s) => s.details);

  useEffect(() => {
    if (!stores.browse.getState().page) void stores.browse.getState().search(0);
  }, [stores]);

  const rows = useMemo(() => (page?.items ?? []).map(browseRow), [page]);
  const marked = useMemo(
    () => (page?.items ?? []).map((f) => ({ key: f.accession, id: f.accession, name: f.displayTitle })),
    [page],
  );
  const marks = useQueueMarks(marked);
  const total = page?.total ?? 0;
  const last = Math.min(from + limit, total);

  const addToQueue = async () => {
    const notify = stores.app.getState().notify;
    try {
      const result = await browse.addSelected(profile);
      notify('success', `Added ${plural(result.added, 'file')} to the queue.`);
    } catch (e) {
      notify('error', `Could not add to the queue: ${errorMessage(e)}`);
    }
  };

  return (
    <ViewFrame
      name="browse"
      title="Browse"
      bar={
        <search className="search-box">
          <form
            className="search-form"
            onSubmit={(e) => {
              e.preventDefault();
              void browse.search(0);
            }}
          >
            <input
              type="search"
              aria-label="Search the portal"
              data-testid="browse-search"
              placeholder="Search files: accession, lab, biosource, keyword…"
              value={query}
              onChange={(e) => browse.setQuery(e.target.value)}
            />
            <button type="submit">
              <Search aria-hidden size={14} /> Search
            </button>
          </form>
        </search>
      }
    >
      <div className={details ? 'browse-body has-details' : 'browse-body'}>
        <FacetsPanel
          facets={page?.facets ?? []}
          filters={filters}
          onToggle={browse.toggleFilter}
          onClear={browse.clearFilters}
        />
        <div className="results">
          <div className="results-bar">
            <span className="muted num" role="status">
              {loading
                ? 'Searching…'
                : total
                  ? `${from + 1}–${last} of ${total.toLocaleString('en')}`
                  : page
                    ? 'No files match.'
                    : ''}
            </span>
            <span className="grow" />
            <span className="muted">{selected.size > 0 ? `${selected.size} selected` : ''}</span>
            <button
              type="button"
              className="primary"
              disabled={selected.size === 0}
              onClick={() => void addToQueue()}
            >
              <ListPlus aria-hidden size={14} /> Add to queue
            </button>
          </div>
          <ViewError error={error} />
          <div className="table-wrap">
            <FileTable
              label="Search results"
              rows={rows}
              marks={marks}
              checked={selected}
              onToggle={browse.toggleSelected}
              onToggleAll={browse.setPageSelected}
              empty={
                page && !loading ? (
                  <div className="empty-results" data-testid="browse-empty">
                    <p>No files match{query.trim() || filters.length > 0 ? ' this search' : ''}.</p>
                    {query.trim() || filters.length > 0 ? (
                      <button
                        type="button"
                        onClick={() => {
                          browse.setQuery('');
                          browse.clearFilters();
                        }}
                      >
                        <X aria-hidden size={14} /> Clear the search
                      </button>
                    ) : null}
                  </div>
                ) : null
              }
              activeKey={details?.file.accession}
              onActivate={(key) =>
                void browse.showDetails(page?.items.find((f) => f.accession === key) ?? null)
              }
            />
          </div>
          <nav className="pager" aria-label="Pages">
            <button
              type="button"
              disabled={from === 0 || loading}
              onClick={() => void browse.search(Math.max(0, from - limit))}
            >
              Previous
            </button>
            <button
              type="button"
              disabled={last >= total || loading}
              onClick={() => void browse.search(from + limit)}
            >
              Next
            </button>
          </nav>
        </div>
        {details ? <DetailsPane details={details} onClose={() => void browse.showDetails(null)} /> : null}
      </div>
    </ViewFrame>
  );
}
