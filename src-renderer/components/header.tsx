import { formatBytes, formatDuration, formatRate } from '../../src-shared/format.ts';
import { errorMessage } from '../api/transport.ts';
import { useActiveProfile, useApp, useProfiles, useQueue, useStores } from '../store/context.tsx';
import { filterCounts, runningCount } from '../store/queue-model.ts';
import { ProgressBar } from './progress-bar.tsx';

function hostOf(server: string): string {
  try {
    return new URL(server).host;
  } catch {
    return server;
  }
}

/** The top bar: the app, the active profile, and how the whole queue is doing. */
export function Header() {
  const stores = useStores();
  const profiles = useProfiles((s) => s.profiles);
  const active = useActiveProfile();
  const stats = useQueue((s) => s.stats);
  // Before the downloader has answered at all (no token, not running), there is nothing to say about keys:
  // the connection banner says what to do.
  const info = useApp((s) => s.info);
  const speed = useQueue((s) => s.speed);
  const eta = useQueue((s) => s.eta);
  const running = runningCount(stats);
  // The same count as the Unfinished filter and the rail's badge; how many of them move is said apart.
  const unfinishedJobs = filterCounts(stats).unfinished;

  const choose = (name: string) => {
    stores.settings
      .getState()
      .save({ defaultProfile: name })
      .catch((error: unknown) =>
        stores.app.getState().notify('error', `Could not switch profile: ${errorMessage(error)}`),
      );
  };

  return (
    <header className="app-header">
      <h1 className="app-title">4DN Downloader</h1>
      <div className="header-profile">
        {!info ? null : profiles.length > 0 ? (
          <label>
            <span className="muted">Profile</span>
            <select aria-label="Active profile" value={active ?? ''} onChange={(e) => choose(e.target.value)}>
              {profiles.map((p) => (
                <option key={p.name} value={p.name}>
                  {p.name} @ {hostOf(p.server)}
                </option>
              ))}
            </select>
          </label>
        ) : (
          <button
            type="button"
            className="link-button"
            onClick={() => stores.app.getState().setView('accounts')}
          >
            No access key yet: add one in Accounts
          </button>
        )}
      </div>
      <section className="header-totals" aria-label="Overall progress">
        <div className="header-line">
          <span data-testid="header-unfinished">{unfinishedJobs} unfinished</span>
          {running !== unfinishedJobs ? (
            <span className="muted" data-testid="header-running">
              {running} running
            </span>
          ) : null}
          <span className="num" data-testid="header-bytes">
            {formatBytes(stats.bytesDone)} / {formatBytes(stats.bytesTotal)}
          </span>
        </div>
        <div className="header-line">
          <ProgressBar value={stats.bytesDone} max={stats.bytesTotal} label="Overall progress" />
          <span className="num" data-testid="header-speed">
            {running > 0 ? formatRate(speed) : ''}
          </span>
          <span className="num" data-testid="header-eta" title="Time left">
            {running > 0 && eta !== undefined ? formatDuration(eta) : ''}
          </span>
        </div>
      </section>
    </header>
  );
}
