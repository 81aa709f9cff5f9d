import type { ManifestResult } from '../../../src-shared/domain/ids.ts';
import { plural } from '../../../src-shared/format.ts';

/** Lines that could not be used, each with its line number and why; repeats summarised below. */
export function RejectedList({ manifest }: { manifest: ManifestResult }) {
  const { rejected, duplicates } = manifest;
  if (rejected.length === 0 && duplicates.length === 0) return null;
  return (
    <section className="rejected" aria-labelledby="rejected-title">
      {rejected.length > 0 ? (
        <>
          <h3 id="rejected-title">{plural(rejected.length, 'line')} not used</h3>
          <ul className="rejected-list">
            {rejected.map((r) => (
              <li key={`${r.line}:${r.text}`} data-testid="rejected-line">
                <span className="num line-no">Line {r.line}</span>{' '}
                <code title={r.text}>{r.text || '(empty)'}</code>{' '}
                <span className="tone-warn">{r.reason}</span>
              </li>
            ))}
          </ul>
        </>
      ) : (
        <h3 id="rejected-title" className="sr-only">
          Repeated lines
        </h3>
      )}
      {duplicates.length > 0 ? (
        <p className="muted" data-testid="duplicate-lines">
          {plural(duplicates.length, 'repeated line')} skipped:{' '}
          {duplicates
            .slice(0, 10)
            .map((d) => `line ${d.line} repeats line ${d.firstLine}`)
            .join('; ')}
          {duplicates.length > 10 ? '; …' : ''}
        </p>
      ) : null}
    </section>
  );
}
