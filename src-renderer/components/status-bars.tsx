import { X } from 'lucide-react';
import { useEffect } from 'react';
import { useApp, useStores } from '../store/context.tsx';

/**
 * The latest notice: polite for news, assertive for errors. News fades after a while (longer when it offers
 * an action such as Undo); errors wait for you.
 */
export function NoticeBar() {
  const stores = useStores();
  const notice = useApp((s) => s.notice);
  useEffect(() => {
    if (!notice || notice.kind === 'error') return;
    const timer = setTimeout(() => stores.app.getState().dismiss(notice.id), notice.action ? 15_000 : 8000);
    return () => clearTimeout(timer);
  }, [notice, stores]);
  const body = notice ? (
    <div className={`notice notice-${notice.kind}`} data-testid="notice">
      <span>{notice.text}</span>
      {notice.action ? (
        <button
          type="button"
          className="notice-action"
          onClick={() => {
            stores.app.getState().dismiss(notice.id);
            notice.action?.run();
          }}
        >
          {notice.action.label}
        </button>
      ) : null}
      <button type="button" aria-label="Dismiss" onClick={() => stores.app.getState().dismiss(notice.id)}>
        <X aria-hidden size={14} />
      </button>
    </div>
  ) : null;
  // Two live regions that stay mounted, so screen readers hear what lands in them.
  return (
    <div className="notice-slot">
      <div role="status">{notice?.kind !== 'error' ? body : null}</div>
      <div role="alert">{notice?.kind === 'error' ? body : null}</div>
    </div>
  );
}

/**
 * Whether the connection banner is up: then it alone speaks for the lost socket, and views do not add errors of
 * their own about it (a page opened without its token would also say "Reconnecting…", which never comes).
 */
export function useConnectionBannerShown(): boolean {
  const connection = useApp((s) => s.connection);
  const wasDisconnected = useApp((s) => s.wasDisconnected);
  if (connection === 'open') return false;
  return connection !== 'connecting' || wasDisconnected;
}

/**
 * A view's own error (a load or a search that failed), unless the connection banner already explains it: with
 * the socket down every call fails, and "… Reconnecting…" under "Cannot reach the downloader" would mislead.
 */
export function ViewError({ error }: { error: string | null }) {
  const connectionBanner = useConnectionBannerShown();
  if (!error || connectionBanner) return null;
  return (
    <p className="banner error" role="alert">
      {error}
    </p>
  );
}

/** Shown only when the web host's socket is down: what is happening and what to do. */
export function ConnectionBanner() {
  const info = useApp((s) => s.info);
  if (!useConnectionBannerShown()) return null;
  return (
    <p className="banner warn connection" role="alert">
      {info
        ? 'Lost the connection to the downloader. Reconnecting… (downloads keep running in the app).'
        : 'Cannot reach the downloader. Open the link printed when it started (it carries the access token), and check it is still running.'}
    </p>
  );
}
