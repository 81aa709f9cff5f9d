import { ExternalLink } from 'lucide-react';
import { useEffect, useRef } from 'react';
import { accessLines } from '../../../src-shared/drs-access.ts';
import { formatBytes } from '../../../src-shared/format.ts';
import { unavailableReason } from '../../../src-shared/portal-availability.ts';
import { shortDate } from '../../components/file-table.tsx';
import type { Details } from '../../store/browse-store.ts';

/** The chosen file: its DRS object (access methods, checksums, times), a portal link, the raw JSON folded. */
export function DetailsPane({ details, onClose }: { details: Details; onClose(): void }) {
  const { file } = details;
  // In a narrow window the pane sits below the results, often below the fold: bring it into view when a file
  // is chosen (beside the results, in a wide window, it is already in view and nothing moves).
  const pane = useRef<HTMLElement>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: once for each newly chosen file, not every render.
  useEffect(() => {
    pane.current?.scrollIntoView?.({ block: 'nearest' });
  }, [file.accession]);
  return (
    <aside className="details" aria-label="File details" ref={pane}>
      <div className="details-head">
        <h3>{file.displayTitle}</h3>
        <button type="button" onClick={onClose} aria-label="Close details">
          ×
        </button>
      </div>
      <a href={file.url} target="_blank" rel="noreferrer noopener" className="external">
        Open on the portal <ExternalLink aria-hidden size={12} />
      </a>
      {unavailableReason(file.status) ? (
        <p className="tone-warn" data-testid="details-unavailable">
          {unavailableReason(file.status)}
        </p>
      ) : null}
      {file.description ? <p>{file.description}</p> : null}
      <dl className="facts">
        <dt>Accession</dt>
        <dd className="mono">{file.accession}</dd>
        {file.fileFormat ? (
          <>
            <dt>Format</dt>
            <dd>{file.fileFormat}</dd>
          </>
        ) : null}
        {file.experimentType ? (
          <>
            <dt>Experiment</dt>
            <dd>{file.experimentType}</dd>
          </>
        ) : null}
        {file.lab ? (
          <>
            <dt>Lab</dt>
            <dd>{file.lab}</dd>
          </>
        ) : null}
      </dl>
      {details.status === 'loading' ? <p className="muted">Resolving the DRS object…</p> : null}
      {details.status === 'failed' ? (
        <p className="tone-warn" role="alert">
          No DRS object: {details.message}
        </p>
      ) : null}
      {details.status === 'ready' ? (
        <>
          <h4>DRS object</h4>
          <dl className="facts">
            <dt>Id</dt>
            <dd className="mono">{details.object.id}</dd>
            <dt>URI</dt>
            <dd className="mono">{details.object.selfUri}</dd>
            <dt>Size</dt>
            <dd className="num">{formatBytes(details.object.size)}</dd>
            <dt>Created</dt>
            <dd className="num">{shortDate(details.object.createdTime)}</dd>
            <dt>Updated</dt>
            <dd className="num">{shortDate(details.object.updatedTime)}</dd>
          </dl>
          <h4>Checksums</h4>
          <ul className="plain-list">
            {details.object.checksums.map((c) => (
              <li key={c.type}>
                <span>{c.type}</span> <code>{c.value}</code>
              </li>
            ))}
            {details.object.checksums.length === 0 ? <li className="muted">None given</li> : null}
          </ul>
          <h4>Access methods</h4>
          <ul className="plain-list">
            {accessLines(details.object.accessMethods).map((line) => (
              <li key={`${line.type}:${line.where}`} data-role={line.role}>
                <span>{line.type}</span> <code>{line.where}</code>{' '}
                <span
                  className={line.role === 'unusable' ? 'tone-warn' : line.role === 'used' ? '' : 'muted'}
                >
                  ({line.note})
                </span>
              </li>
            ))}
            {details.object.accessMethods.length === 0 ? <li className="muted">None given</li> : null}
          </ul>
          <details className="raw-json">
            <summary>Raw JSON</summary>
            <pre>{JSON.stringify(details.object.raw, null, 2)}</pre>
          </details>
        </>
      ) : null}
    </aside>
  );
}
