import { useId, useState } from 'react';
import { errorMessage } from '../../api/transport.ts';
import { FolderInput } from '../../components/folder-input.tsx';
import { ViewError } from '../../components/status-bars.tsx';
import { ViewFrame } from '../../components/view-frame.tsx';
import { useApp, useSettings, useStores } from '../../store/context.tsx';
import { type Draft, type DraftErrors, fromDraft, toDraft } from '../../store/settings-draft.ts';

function NumberField({
  label,
  hint,
  value,
  error,
  onChange,
  min,
  max,
}: {
  label: string;
  hint?: string;
  value: string;
  error: string | undefined;
  onChange(value: string): void;
  min: number;
  max: number;
}) {
  const id = useId();
  const note = error ?? hint;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="number"
        inputMode="numeric"
        min={min}
        max={max}
        value={value}
        aria-invalid={error ? true : undefined}
        aria-describedby={note ? `${id}-note` : undefined}
        onChange={(e) => onChange(e.target.value)}
      />
      {note ? (
        <small id={`${id}-note`} className={error ? 'tone-bad' : 'muted'}>
          {note}
        </small>
      ) : null}
    </div>
  );
}

export function SettingsView() {
  const stores = useStores();
  const settings = useSettings((s) => s.settings);
  const loadError = useSettings((s) => s.error);
  // The renderer knows its host from app:info: tray, notifications and sleep are the desktop app's.
  const desktopOnly = useApp((s) => s.info?.host) === 'web';
  const draft = useSettings((s) => s.draft);
  const setDraft = stores.settings.getState().setDraft;
  const [errors, setErrors] = useState<DraftErrors>({});
  const [saving, setSaving] = useState(false);
  /** The system folder the user was warned about: a second Save keeps it. */
  const [warning, setWarning] = useState<{ dir: string; message: string } | null>(null);

  if (!settings) {
    return (
      <ViewFrame name="settings" title="Settings">
        {loadError ? <ViewError error={loadError} /> : <p className="muted">Loading…</p>}
      </ViewFrame>
    );
  }

  const values = draft ?? toDraft(settings);
  const edit = (patch: Partial<Draft>) => setDraft({ ...values, ...patch });
  const notify = stores.app.getState().notify;

  /** The folder's verdict before saving: an error to show, a warning to confirm, or nothing. */
  const judgeFolder = async (dir: string): Promise<{ error?: string; warning?: string }> => {
    if (dir === settings.downloadDir) return {};
    try {
      const verdict = await stores.transport.invoke('folder:check', { dir });
      if (!verdict.ok) return { error: verdict.message };
      return verdict.warning ? { warning: verdict.warning } : {};
    } catch {
      return {}; // a host without the check: the core still refuses the folder when a download starts
    }
  };

  const save = async () => {
    const { patch, errors: found } = fromDraft(values);
    if (Object.keys(found).length === 0 && patch.downloadDir !== undefined) {
      const folder = await judgeFolder(patch.downloadDir);
      if (folder.error) found.downloadDir = folder.error;
      else if (folder.warning && warning?.dir !== patch.downloadDir) {
        setErrors(found);
        setWarning({ dir: patch.downloadDir, message: folder.warning });
        notify(
          'info',
          'Not saved yet: the download folder is a system folder. Save again to use it anyway.',
          undefined,
          'settings',
        );
        return;
      }
    }
    setErrors(found);
    const refused = Object.keys(found).length;
    if (refused > 0) {
      notify(
        'error',
        `Not saved: ${refused === 1 ? 'one field needs' : `${refused} fields need`} fixing (marked in red).`,
        undefined,
        'settings',
      );
      return;
    }
    setSaving(true);
    try {
      await stores.settings.getState().save(patch);
      setWarning(null);
      setDraft(null);
      stores.app.getState().notify('success', 'Settings saved.');
    } catch (error) {
      stores.app.getState().notify('error', `Settings not saved: ${errorMessage(error)}`);
    } finally {
      setSaving(false);
    }
  };

  return (
    <ViewFrame name="settings" title="Settings">
      <form
        className="settings-form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <fieldset>
          <legend>Downloads</legend>
          <div className="field wide">
            <label htmlFor="download-dir">Download folder</label>
            <FolderInput
              id="download-dir"
              value={values.downloadDir}
              invalid={errors.downloadDir !== undefined}
              describedBy={errors.downloadDir || warning ? 'download-dir-note' : undefined}
              onChange={(path) => edit({ downloadDir: path })}
            />
            {errors.downloadDir ? (
              <p id="download-dir-note" className="field-error" data-testid="settings-folder-error">
                {errors.downloadDir}
              </p>
            ) : warning && warning.dir === values.downloadDir.trim() ? (
              <p id="download-dir-note" className="field-warning" data-testid="settings-folder-warning">
                {warning.message}
              </p>
            ) : null}
          </div>
          <NumberField
            label="Files at once"
            value={values.concurrency}
            error={errors.concurrency}
            min={1}
            max={32}
            onChange={(concurrency) => edit({ concurrency })}
          />
          <NumberField
            label="Segments per file"
            hint="Large files are fetched in this many parts at once."
            value={values.segments}
            error={errors.segments}
            min={1}
            max={16}
            onChange={(segments) => edit({ segments })}
          />
          <div className="field">
            <label htmlFor="bandwidth-limit">Bandwidth limit</label>
            <div className="inline">
              <input
                id="bandwidth-limit"
                type="number"
                min={0}
                step="any"
                value={values.bandwidth}
                aria-invalid={errors.bandwidth ? true : undefined}
                aria-describedby="bandwidth-hint"
                onChange={(e) => edit({ bandwidth: e.target.value })}
              />
              <select
                aria-label="Bandwidth unit"
                value={values.bandwidthUnit}
                onChange={(e) => edit({ bandwidthUnit: e.target.value as Draft['bandwidthUnit'] })}
              >
                <option value="KiB">KiB/s</option>
                <option value="MiB">MiB/s</option>
              </select>
            </div>
            <small id="bandwidth-hint" className={errors.bandwidth ? 'tone-bad' : 'muted'}>
              {errors.bandwidth ?? '0 means no limit.'}
            </small>
          </div>
          <NumberField
            label="Stall timeout (seconds)"
            hint="A connection with no bytes for this long is retried."
            value={values.stallTimeoutSec}
            error={errors.stallTimeoutSec}
            min={2}
            max={3600}
            onChange={(stallTimeoutSec) => edit({ stallTimeoutSec })}
          />
        </fieldset>
        <fieldset>
          <legend>While downloading</legend>
          {desktopOnly ? (
            <p className="muted" data-testid="desktop-only-note">
              These apply to the desktop app only: in the browser, downloads run while the downloader runs,
              and the browser does not show its notifications.
            </p>
          ) : null}
          <label className="check">
            <input
              type="checkbox"
              checked={values.closeToTray}
              onChange={(e) => edit({ closeToTray: e.target.checked })}
            />
            Keep running in the tray when the window closes
            {desktopOnly ? (
              <span className="pill" aria-hidden="true">
                desktop app
              </span>
            ) : null}
          </label>
          <label className="check">
            <input
              type="checkbox"
              checked={values.notifications}
              onChange={(e) => edit({ notifications: e.target.checked })}
            />
            Notify me when a batch finishes or fails
            {desktopOnly ? (
              <span className="pill" aria-hidden="true">
                desktop app
              </span>
            ) : null}
          </label>
          <label className="check">
            <input
              type="checkbox"
              checked={values.preventSleep}
              onChange={(e) => edit({ preventSleep: e.target.checked })}
            />
            Prevent sleep while downloading
            {desktopOnly ? (
              <span className="pill" aria-hidden="true">
                desktop app
              </span>
            ) : null}
          </label>
        </fieldset>
        <fieldset>
          <legend>Theme</legend>
          {(['system', 'light', 'dark'] as const).map((theme) => (
            <label key={theme} className="check">
              <input
                type="radio"
                name="theme"
                checked={values.theme === theme}
                onChange={() => edit({ theme })}
              />
              {theme === 'system' ? 'Follow the system' : theme === 'light' ? 'Light' : 'Dark'}
            </label>
          ))}
        </fieldset>
        <div className="form-actions">
          <button type="submit" className="primary" disabled={!draft || saving}>
            {warning && warning.dir === values.downloadDir.trim() ? 'Save anyway' : 'Save'}
          </button>
          <button
            type="button"
            disabled={!draft || saving}
            onClick={() => {
              setDraft(null);
              setErrors({});
              setWarning(null);
            }}
          >
            Revert
          </button>
        </div>
      </form>
    </ViewFrame>
  );
}
