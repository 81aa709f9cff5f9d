import { observeElementRect, useVirtualizer } from '@tanstack/react-virtual';
import { ArrowUp as SortArrow } from 'lucide-react';
import { type KeyboardEvent, type MouseEvent, type ReactNode, useRef } from 'react';
import { useQueue, useStores } from '../../store/context.tsx';
import { clickSelect, moveFocus, selectAll } from '../../store/selection.ts';
import { nextSort, type SortKey } from './queue-order.ts';
import { QueueRow, ROW_HEIGHT, rowDomId } from './queue-row.tsx';
import type { QueueActions } from './use-queue-actions.ts';

const COLUMNS: ReadonlyArray<readonly [label: string, cls: SortKey]> = [
  ['State', 'state'],
  ['Name', 'name'],
  ['Size', 'size'],
  ['Progress', 'progress'],
  ['Speed', 'speed'],
  ['Time left', 'eta'],
  ['Checksum', 'checksum'],
  ['Reason', 'reason'],
];

// Before layout (or in a hidden view) the list has no height; assume a window's worth rather than no rows.
const observeRect: typeof observeElementRect = (instance, cb) =>
  observeElementRect(instance, (rect) =>
    cb(rect.height > 0 ? rect : { width: rect.width || 1024, height: 640 }),
  );

const isMac = typeof navigator !== 'undefined' && /Mac/i.test(navigator.platform);

export interface QueueTableProps {
  visible: readonly string[];
  actions: QueueActions;
  onMenu(x: number, y: number): void;
  /** Shown inside the table's frame, under its header, when it has no rows. */
  empty?: ReactNode;
}

/** The queue as a virtualised grid: only rows in view are in the DOM, so 10,000 jobs scroll smoothly. */
export function QueueTable({ visible, actions, onMenu, empty }: QueueTableProps) {
  const stores = useStores();
  const selection = useQueue((s) => s.selection);
  const sort = useQueue((s) => s.sort);
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: visible.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
    getItemKey: (index) => visible[index] ?? index,
    observeElementRect: observeRect,
  });

  const setSelection = stores.queue.getState().setSelection;

  const rowOf = (event: MouseEvent) =>
    (event.target as Element).closest<HTMLElement>('tr[data-job-id]')?.dataset.jobId ?? null;

  const onClick = (event: MouseEvent) => {
    const id = rowOf(event);
    if (id === null) return;
    const current = stores.queue.getState().selection;
    setSelection(
      clickSelect(current, visible, id, { shift: event.shiftKey, toggle: event.ctrlKey || event.metaKey }),
    );
  };

  const onContextMenu = (event: MouseEvent) => {
    const id = rowOf(event);
    if (id === null) return;
    event.preventDefault();
    const current = stores.queue.getState().selection;
    if (!current.selected.has(id)) setSelection(clickSelect(current, visible, id));
    onMenu(event.clientX, event.clientY);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    // Keys on a header's sort button are that button's (Space sorts), not the selection's.
    if (event.target !== event.currentTarget) return;
    const current = stores.queue.getState().selection;
    const chosen = [...current.selected];
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 640) / ROW_HEIGHT) - 1);
    const moves: Record<string, number> = {
      ArrowDown: 1,
      ArrowUp: -1,
      PageDown: page,
      PageUp: -page,
      Home: -visible.length,
      End: visible.length,
    };
    const delta = moves[event.key];
    if (delta !== undefined) {
      event.preventDefault();
      const next = moveFocus(current, visible, delta, event.shiftKey);
      setSelection(next);
      const index = next.focus === null ? -1 : visible.indexOf(next.focus);
      if (index >= 0) virtualizer.scrollToIndex(index, { align: 'auto' });
      return;
    }
    const mod = isMac ? event.metaKey : event.ctrlKey;
    if (mod && event.key.toLowerCase() === 'a') {
      event.preventDefault();
      setSelection(selectAll(visible, current));
    } else if (event.key === ' ') {
      event.preventDefault();
      actions.toggle(chosen);
    } else if (event.key === 'Delete' || (isMac && event.key === 'Backspace')) {
      event.preventDefault();
      actions.remove(chosen);
    } else if (event.key === 'Escape') {
      setSelection({ ...current, selected: new Set() });
    } else if (event.key === 'ContextMenu' || (event.shiftKey && event.key === 'F10')) {
      event.preventDefault();
      const row = current.focus ? document.getElementById(rowDomId(current.focus)) : null;
      const box = (row ?? event.currentTarget).getBoundingClientRect();
      onMenu(box.left + 40, box.top + box.height);
    }
  };

  return (
    <div ref={scrollRef} className="grid-scroll">
      <table
        className="grid queue-grid"
        // biome-ignore lint/a11y/noNoninteractiveElementToInteractiveRole: an ARIA grid (multi-select, arrow keys) on a table, for its row and cell semantics.
        role="grid"
        aria-label="Downloads"
        aria-rowcount={visible.length + 1}
        aria-multiselectable="true"
        aria-activedescendant={selection.focus ? rowDomId(selection.focus) : undefined}
        tabIndex={0}
        onKeyDown={onKeyDown}
        onClick={onClick}
        onContextMenu={onContextMenu}
      >
        <thead className="grid-head">
          <tr aria-rowindex={1} className="row head-row">
            {COLUMNS.map(([label, cls]) => {
              const dir = sort?.key === cls ? sort.dir : undefined;
              return (
                <th
                  key={cls}
                  scope="col"
                  className={`cell c-${cls}`}
                  aria-sort={dir === 'asc' ? 'ascending' : dir === 'desc' ? 'descending' : 'none'}
                >
                  <button
                    type="button"
                    className="sort-button"
                    title={`Sort by ${label.toLowerCase()}`}
                    onClick={() => stores.queue.getState().setSort(nextSort(sort, cls))}
                  >
                    {cls === 'state' ? <span className="sr-only">{label}</span> : label}
                    {dir ? <SortArrow aria-hidden size={12} className={`sort-${dir}`} /> : null}
                  </button>
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody className="grid-body" style={{ height: virtualizer.getTotalSize() }}>
          {virtualizer.getVirtualItems().map((item) => {
            const id = visible[item.index] as string;
            return (
              <QueueRow
                key={id}
                id={id}
                index={item.index}
                start={item.start}
                selected={selection.selected.has(id)}
                focused={selection.focus === id}
              />
            );
          })}
        </tbody>
      </table>
      {visible.length === 0 ? empty : null}
    </div>
  );
}
