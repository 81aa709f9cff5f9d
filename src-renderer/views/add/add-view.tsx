import { X } from 'lucide-react';
import { useId, useMemo } from 'react';
import type { ManifestFormat } from '../../../src-shared/domain/ids.ts';
import { DEFAULT_SERVER } from '../../../src-shared/domain/profile.ts';
import { formatBytes, plural } from '../../../src-shared/format.ts';
import { acceptedForms } from '../../../src-shared/ids/accepted-forms.ts';
import { errorMessage } from '../../api/transport.ts';
import { FileTable } from '../../components/file-table.tsx';
import { FolderInput } from '../../components/folder-input.tsx';
import { OpenListButton } from '../../components/open-list-button.tsx';
import { useQueueMarks } from '../../components/queue-marks.ts';
import { ViewFrame } from '../../components/view-frame.tsx';
import { useAdd, useProfiles, useStores } from '../../store/context.tsx';
import { addRow, totalsOf } from './add-rows.ts';
import { RejectedList } from './rejected-list.tsx';

const FORMAT_NAMES: Record<ManifestFormat, string> = {
  plain: 'plain list',
  'metadata-tsv': "portal's metadata TSV",
  csv: 'CSV',
  tsv: 'TSV',
  json: 'JSON',
  'files-txt': "portal's files.txt",
};

/** Big previews are summarised: every row still goes to the queue. */
const PREVIEW_LIMIT = 1000;

export function AddView() {
  const stores = useStores();
  const add = stores.add.getState();
  const text = useAdd((s) => s.text);
  const fileName = useAdd((s) => s.fileName);
  const parsing = useAdd((s) => s.parsing);
  const parseError = useAdd((s) => s.parseError);
  const manifest = useAdd((s) => s.manifest);
  const statuses = useAdd((s) => s.rows);
  const checked = useAdd((s) => s.checked);
  const destDir = useAdd((s) => s.destDir);
  const profile = useAdd((s) => s.profile);
  const disk = useAdd((s) => s.disk);
  const diskError = useAdd((s) => s.diskError);
  const folder = useAdd((s) => s.folder);
  const submitting = useAdd((s) => s.submitting);
  const profiles = useProfiles((s) => s.profiles);
  const inputId = useId();
  // The forms of id this server takes, with its own accession prefix (no key: the 4DN portal).
  const chosen = profiles.find((p) => p.name === profile);
  const hint = acceptedForms(chosen?.server ?? DEFAULT_SERVER, chosen?.kind);

  const rows = useMemo(
    () => (manifest?.items ?? []).map((item) => addRow(item, statuses.get(item.key))),
    [manifest, statuses],
  );
  const marked = useMemo(
    () =>
      rows.slice(0, PREVIEW_LIMIT).map((row, i) => ({
        key: row.key,
        id: manifest?.items[i]?.input ?? row.name,
        name: row.status === 'Resolving…' ? undefined : row.name,
      })),
    [rows, manifest],
  );
  const marks = useQueueMarks(marked);
  const totals = totalsOf(rows, checked);
  const pending = rows.filter((row) => row.status === 'Resolving…').length;
  const folderRefused = folder !== null && !folder.ok ? folder.message : null;
  // A refused folder's free space says nothing (/proc shows 0 B): its refusal is the whole story.
  const tooBig = folderRefused === null && disk !== null && totals.bytes > disk.free;

  const openFile = async (file: File) => {
    add.setText(await file.text(), file.name);
  };

  const download = async () => {
    const notify = stores.app.getState().notify;
    try {
      // Rows the portal left out of its own list count as not included, like rows left unticked.
      const listed = manifest?.unavailable?.length ?? 0;
      const leftOut = rows.length - totals.files + listed;
      const unread = manifest?.rejected.length ?? 0;
      const result = await add.download();
      // Numbers that add up with the preview: rows not included, lines that were no id, and anything the
      // queue itself refused beyond those (a whole list sent back is parsed again, giving both once more).
      const refused = Math.max(
        0,
        result.rejected.length - (result.rejected.length > 0 ? unread + listed : 0),
      );
      const extra = [
        result.alreadyQueued ? `${result.alreadyQueued} already queued` : '',
        leftOut ? `${leftOut} not included` : '',
        unread ? `${plural(unread, 'line')} not read` : '',
        refused ? `${refused} refused` : '',
      ].filter(Boolean);
      notify(
        'success',
        `Added ${plural(result.added, 'file')} to the queue${extra.length ? ` (${extra.join(', ')})` : ''}.`,
      );
      add.reset();
      stores.app.getState().setView('queue');
    } catch (error) {
      notify('error', `Could not add to the queue: ${errorMessage(error)}`);
    }
  };

  return (
    <ViewFrame name="add" title="Add">
      <div className="drop-zone">
        <label htmlFor={inputId} className="sr-only">
          Accessions, drs:// URIs or portal links
        </label>
        <textarea
          id={inputId}
          data-testid="add-input"
          className="add-input"
          spellCheck={false}
          placeholder="Paste accessions, drs:// URIs, portal links, or drop the portal's metadata .tsv"
          value={text}
          onChange={(e) => add.setText(e.target.value, undefined)}
          aria-describedby={`${inputId}-hint`}
        />
        <p id={`${inputId}-hint`} className="muted add-hint" data-testid="add-hint">
          {hint}
        </p>
        <div className="drop-zone-bar">
          <OpenListButton onFile={(file) => void openFile(file)} />
          {fileName ? (
            <span className="muted">
              From <strong>{fileName}</strong>
            </span>
          ) : null}
          {text ? (
            <button type="button" onClick={() => add.reset()}>
              <X aria-hidden size={14} /> Clear
            </button>
          ) : null}
          <span className="grow" />
          <span className="muted" role="status">
            {parsing
              ? 'Reading the list…'
              : manifest
                ? `${plural(manifest.items.length, 'file')} found in a ${FORMAT_NAMES[manifest.format]}${pending ? `; resolving ${pending}…` : ''}`
                : ''}
          </span>
        </div>
      </div>
      {parseError ? (
        <p className="banner error" role="alert">
          Could not read the list: {parseError}
        </p>
      ) : null}
      {manifest ? <RejectedList manifest={manifest} /> : null}
      {rows.length > 0 ? (
        <div className="table-wrap">
          <FileTable
            label="Files to add"
            rows={rows.length > PREVIEW_LIMIT ? rows.slice(0, PREVIEW_LIMIT) : rows}
            checked={checked}
            onToggle={add.toggle}
            onToggleAll={add.setAllChecked}
            statusTitle="Resolution"
            marks={marks}
          />
          {rows.length > PREVIEW_LIMIT ? (
            <p className="muted">
              Showing the first {PREVIEW_LIMIT.toLocaleString('en')} of {rows.length.toLocaleString('en')}{' '}
              files.
            </p>
          ) : null}
        </div>
      ) : null}
      <div className="add-footer">
        <div className="add-fields">
          <div className="field">
            <label htmlFor="add-dest">Destination folder</label>
            <FolderInput
              id="add-dest"
              value={destDir}
              onChange={(path) => add.setDestDir(path)}
              placeholder="The download folder from Settings"
            />
            {folderRefused ? (
              <p className="field-error" role="alert" data-testid="add-folder-error">
                {folderRefused}
              </p>
            ) : null}
          </div>
          <label className="field">
            <span>Profile</span>
            <select value={profile ?? ''} onChange={(e) => add.setProfile(e.target.value || undefined)}>
              {profiles.length === 0 ? <option value="">No key (public files only)</option> : null}
              {profiles.map((p) => (
                <option key={p.name} value={p.name}>
                  {p.name}
                </option>
              ))}
            </select>
          </label>
        </div>
        <div className="add-submit">
          <p className={`totals ${tooBig ? 'tone-bad' : ''}`} data-testid="add-totals" aria-live="polite">
            {rows.length > 0
              ? `${plural(totals.files, 'file')}, ${formatBytes(totals.bytes)}${totals.unknown ? ` (+${totals.unknown} of unknown size)` : ''}`
              : ''}
            {rows.length > 0 && disk && !folderRefused
              ? `; ${formatBytes(disk.free)} free on ${disk.dir}`
              : ''}
            {tooBig ? '. Not enough free space for all of it.' : ''}
            {rows.length > 0 && diskError ? `; free space unknown (${diskError})` : ''}
          </p>
          <button
            type="button"
            className="primary"
            data-testid="add-download"
            disabled={totals.files === 0 || submitting || folderRefused !== null}
            onClick={() => void download()}
          >
            Download {plural(totals.files, 'file')}
          </button>
        </div>
      </div>
    </ViewFrame>
  );
}
