import { ArrowDownToLine, KeyRound, Plus, Search, Settings } from 'lucide-react';
import type { ComponentType } from 'react';
import type { View } from '../store/app-store.ts';
import { useApp, useQueue, useStores } from '../store/context.tsx';
import { filterCounts } from '../store/queue-model.ts';

const ITEMS: ReadonlyArray<{
  view: View;
  label: string;
  Icon: ComponentType<{ 'aria-hidden'?: boolean; size?: number }>;
}> = [
  { view: 'queue', label: 'Queue', Icon: ArrowDownToLine },
  { view: 'add', label: 'Add', Icon: Plus },
  { view: 'browse', label: 'Browse', Icon: Search },
  { view: 'accounts', label: 'Accounts', Icon: KeyRound },
  { view: 'settings', label: 'Settings', Icon: Settings },
];

/** The left rail: five views, the Queue badge counting unfinished jobs, and a reminder that drops work. */
export function Rail() {
  const stores = useStores();
  const view = useApp((s) => s.view);
  const unfinished = useQueue((s) => filterCounts(s.stats).unfinished);
  return (
    <nav className="rail" aria-label="Views">
      <ul>
        {ITEMS.map(({ view: target, label, Icon }) => (
          <li key={target}>
            <button
              type="button"
              className="rail-button"
              aria-current={view === target ? 'page' : undefined}
              aria-label={label}
              aria-describedby={target === 'queue' && unfinished > 0 ? 'queue-badge' : undefined}
              onClick={() => stores.app.getState().setView(target)}
            >
              <Icon aria-hidden size={16} />
              <span className="rail-label">{label}</span>
              {target === 'queue' && unfinished > 0 ? (
                <span
                  id="queue-badge"
                  className="badge num"
                  data-testid="queue-badge"
                  title={`${unfinished} unfinished`}
                >
                  {unfinished}
                </span>
              ) : null}
            </button>
          </li>
        ))}
      </ul>
      <p className="rail-hint">Drop a list or the portal's metadata TSV anywhere to add it.</p>
    </nav>
  );
}
