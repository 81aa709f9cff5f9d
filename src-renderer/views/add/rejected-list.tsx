import type { ManifestResult, Rejected } from '../../../src-shared/domain/ids.ts';
import { plural } from '../../../src-shared/format.ts';

function LineList({
  lines,
  testId,
  prefix,
}: {
  lines: readonly Rejected[];
  testId: string;
  prefix?: string;
}) {
  return (
    <ul className="rejected-list">
      {lines.map((r) => (
        <li key={`${r.line}:${r.text}`} data-testid={testId}>
          <span className="num line-no">Line {r.line}</span> <code title={r.text}>{r.text || '(empty)'}</code>{' '}
          <span className="tone-warn">
            {prefix}
            {r.reason}
          </span>
        </li>
      ))}
    </ul>
  );
}

/**
 * Lines that could not be used, each with its line number and why; the rows the portal itself commented out of
 * its metadata TSV (restricted, not yet uploaded, duplicates) as "not included"; repeats summarised below.
 */
export function RejectedList({ manifest }: { manifest: ManifestResult }) {
  const { rejected, duplicates } = manifest;
  const left = manifest.unavailable ?? [];
  if (rejected.length === 0 && duplicates.length === 0 && left.length === 0) return null;
  return (
    <section className="rejected" aria-labelledby="rejected-title">
      {rejected.length > 0 ? (
        <>
          <h3 id="rejected-title">{plural(rejected.length, 'line')} not used</h3>
          <LineList lines={rejected} testId="rejected-line" />
        </>
      ) : (
        <h3 id="rejected-title" className="sr-only">
          Lines not used
        </h3>
      )}
      {left.length > 0 ? (
        <>
          <h3>{plural(left.length, 'row')} the portal left out of its list</h3>
          <LineList lines={left} testId="not-included-line" prefix="not included: " />
        </>
      ) : null}
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
