import {
  ArrowUpToLine,
  Copy,
  ExternalLink,
  FolderOpen,
  Info,
  Pause,
  Play,
  RotateCcw,
  Trash2,
} from 'lucide-react';
import { useCallback, useMemo, useState } from 'react';
import type { Job } from '../../../src-shared/domain/job.ts';
import { ConfirmDialog } from '../../components/confirm-dialog.tsx';
import { ContextMenu, type MenuItem } from '../../components/context-menu.tsx';
import { ViewError } from '../../components/status-bars.tsx';
import { ViewFrame } from '../../components/view-frame.tsx';
import { useQueue, useStores } from '../../store/context.tsx';
import { filterCounts, QUEUE_FILTERS, type QueueFilter } from '../../store/queue-model.ts';
import { JobDetails } from './job-details.tsx';
import { QueueEmpty } from './queue-empty.tsx';
import { arrangeRows } from './queue-order.ts';
import { QueueTable } from './queue-table.tsx';
import { applicable, QueueToolbar } from './queue-toolbar.tsx';
import { useQueueActions } from './use-queue-actions.ts';

const FILTER_LABELS: Record<QueueFilter, string> = {
  all: 'All',
  unfinished: 'Unfinished',
  done: 'Done',
  failed: 'Failed',
};
const EMPTY_FILTER_TEXT: Record<QueueFilter, string> = {
  all: '',
  unfinished: 'Nothing is waiting or downloading.',
  done: 'No finished downloads yet.',
  failed: 'No failed downloads.',
};

export function QueueView() {
  const stores = useStores();
  const actions = useQueueActions();
  const loaded = useQueue((s) => s.loaded);
  const error = useQueue((s) => s.error);
  const ids = useQueue((s) => s.ids);
  const jobs = useQueue((s) => s.jobs);
  const shape = useQueue((s) => s.shapeVersion);
  const stats = useQueue((s) => s.stats);
  const filter = useQueue((s) => s.filter);
  const text = useQueue((s) => s.text);
  const sort = useQueue((s) => s.sort);
  const selection = useQueue((s) => s.selection);
  const [menu, setMenu] = useState<{ x: number; y: number } | null>(null);
  // The details pane follows the focused row while open.
  const [detailsOpen, setDetailsOpen] = useState(false);
  const detailsJob = detailsOpen && selection.focus ? jobs.get(selection.focus) : undefined;

  // Recomputed when the id list changes or a job changes filter, running state or place, not on every
  // progress tick: rows keep their place while numbers move.
  // biome-ignore lint/correctness/useExhaustiveDependencies: shape stands in for the jobs map on purpose.
  const visible = useMemo(
    () => arrangeRows(stores.queue.getState(), { filter, text, sort }),
    [stores, filter, text, sort, ids, shape],
  );
  const counts = filterCounts(stats);
  const chosen = useMemo(() => visible.filter((id) => selection.selected.has(id)), [visible, selection]);
  const chosenJobs = useMemo(
    () => chosen.map((id) => jobs.get(id)).filter((job): job is Job => job !== undefined),
    [chosen, jobs],
  );
  const closeMenu = useCallback(() => setMenu(null), []);

  const menuItems = (): MenuItem[] => {
    const can = applicable(chosenJobs);
    const first = chosenJobs[0];
    return [
      {
        label: 'Pause',
        icon: <Pause aria-hidden size={14} />,
        disabled: !can.pause,
        onSelect: () => actions.pause(chosen),
      },
      {
        label: 'Resume',
        icon: <Play aria-hidden size={14} />,
        disabled: !can.resume,
        onSelect: () => actions.resume(chosen),
      },
      {
        label: 'Retry',
        icon: <RotateCcw aria-hidden size={14} />,
        disabled: !can.retry,
        onSelect: () => actions.retry(chosen),
      },
      {
        label: 'Remove',
        icon: <Trash2 aria-hidden size={14} />,
        disabled: !can.remove,
        onSelect: () => actions.remove(chosen),
      },
      {
        label: 'Move to top',
        icon: <ArrowUpToLine aria-hidden size={14} />,
        disabled: !can.moveToTop,
        onSelect: () => actions.moveToTop(chosen),
      },
      {
        label: 'Details',
        icon: <Info aria-hidden size={14} />,
        disabled: !first,
        onSelect: () => setDetailsOpen(true),
      },
      {
        label: 'Copy DRS URI',
        icon: <Copy aria-hidden size={14} />,
        disabled: !first,
        onSelect: () => first && actions.copyUri(first.id),
      },
      {
        label: 'Show in folder',
        icon: <FolderOpen aria-hidden size={14} />,
        disabled: !first,
        onSelect: () => first && actions.open(first.id, true),
      },
      {
        label: 'Open file',
        icon: <ExternalLink aria-hidden size={14} />,
        disabled: first?.state !== 'done',
        onSelect: () => first && actions.open(first.id, false),
      },
    ];
  };

  return (
    <ViewFrame
      name="queue"
      title="Queue"
      bar={
        <fieldset className="filters" aria-label="Show">
          {QUEUE_FILTERS.map((f) => (
            <button
              key={f}
              type="button"
              className="filter"
              aria-pressed={filter === f}
              onClick={() => stores.queue.getState().setFilter(f)}
            >
              {FILTER_LABELS[f]} <span className="count num">{counts[f]}</span>
            </button>
          ))}
          <input
            type="search"
            className="queue-search"
            aria-label="Filter by name"
            placeholder="Filter by name"
            value={text}
            onChange={(e) => stores.queue.getState().setText(e.target.value)}
          />
        </fieldset>
      }
    >
      <QueueToolbar
        chosen={chosen}
        jobs={chosenJobs}
        failedCount={counts.failed}
        doneCount={counts.done}
        actions={actions}
        detailsOpen={detailsOpen}
        onDetails={() => setDetailsOpen(!detailsOpen)}
      />
      <ViewError error={error} />
      <div className={detailsJob ? 'queue-body has-details' : 'queue-body'}>
        <div className="queue-main">
          <QueueTable
            visible={visible}
            actions={actions}
            onMenu={(x, y) => setMenu({ x, y })}
            empty={
              ids.length > 0 ? (
                <p className="empty-filter muted">
                  {text.trim() ? `No download's name contains “${text.trim()}”.` : EMPTY_FILTER_TEXT[filter]}
                </p>
              ) : loaded ? (
                <QueueEmpty />
              ) : null
            }
          />
        </div>
        {detailsJob ? <JobDetails job={detailsJob} onClose={() => setDetailsOpen(false)} /> : null}
      </div>
      {menu && chosen.length > 0 ? (
        <ContextMenu x={menu.x} y={menu.y} label="Download actions" items={menuItems()} onClose={closeMenu} />
      ) : null}
      {actions.confirm ? <ConfirmDialog request={actions.confirm} onClose={actions.closeConfirm} /> : null}
    </ViewFrame>
  );
}
