import { useEffect } from 'react';
import type { Job } from '../../../src-shared/domain/job.ts';
import { formatBytes } from '../../../src-shared/format.ts';
import { checksumLabel, noAttemptsText, STATE_LABELS } from './job-labels.ts';
import { rowDomId } from './queue-row.tsx';

function Fact({ label, children, mono }: { label: string; children: React.ReactNode; mono?: boolean }) {
  return (
    <>
      <dt>{label}</dt>
      <dd className={mono ? 'mono' : undefined}>{children}</dd>
    </>
  );
}

function when(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}

/**
 * States a job has come to rest in: a note from its way there ("… downloading it again") is history then, kept
 * in the attempts below, and would contradict the state if shown as what is happening.
 */
const STOPPED: ReadonlySet<Job['state']> = new Set(['failed', 'done', 'canceled']);

/**
 * One download in full, nothing clipped: the whole reason, where it comes from and goes, the checksum expected
 * and what the check found, and every attempt with its error and time. The queue's cells only summarise.
 */
export function JobDetails({ job, onClose }: { job: Job; onClose(): void }) {
  // Opening the pane shrinks the table (below it in a small window): keep the row it describes in view.
  useEffect(() => {
    document.getElementById(rowDomId(job.id))?.scrollIntoView({ block: 'nearest' });
  }, [job.id]);
  const checksum = checksumLabel(job);
  const attempts = [...job.attempts].reverse();
  return (
    <aside className="details job-details" aria-label="Download details" data-testid="job-details">
      <div className="details-head">
        <h3>{job.name}</h3>
        <button type="button" onClick={onClose} aria-label="Close details">
          ×
        </button>
      </div>
      {job.error ? (
        <p className="tone-bad" data-testid="job-details-reason">
          {job.error.message}
        </p>
      ) : null}
      {job.note && !STOPPED.has(job.state) ? <p className="muted">{job.note}</p> : null}
      <dl className="facts">
        <Fact label="State">{STATE_LABELS[job.state]}</Fact>
        <Fact label="Source" mono>
          {job.source}
        </Fact>
        {job.drsUri && job.drsUri !== job.source ? (
          <Fact label="DRS URI" mono>
            {job.drsUri}
          </Fact>
        ) : null}
        <Fact label="Saved as" mono>
          {job.path ?? `${job.destDir} (name not known yet)`}
        </Fact>
        <Fact label="Size">
          {job.size !== undefined
            ? `${formatBytes(job.bytesDone)} of ${formatBytes(job.size)}`
            : `${formatBytes(job.bytesDone)} so far (size not known yet)`}
        </Fact>
        <Fact label="Checksum">{checksum.text}</Fact>
        {job.checksum ? (
          <Fact label="Expected" mono>
            {job.checksum.type}: {job.checksum.value}
          </Fact>
        ) : null}
        {job.profile ? <Fact label="Profile">{job.profile}</Fact> : null}
        <Fact label="Added">{when(job.createdAt)}</Fact>
      </dl>
      <h4>Attempts ({job.attempts.length})</h4>
      {attempts.length === 0 ? (
        <p className="muted">{noAttemptsText(job.state)}</p>
      ) : (
        <ol className="plain-list attempts" data-testid="job-attempts">
          {attempts.map((attempt) => (
            <li key={`${attempt.at} ${attempt.error?.message ?? ''} ${attempt.action ?? ''}`}>
              <span className="muted num">{when(attempt.at)}</span>{' '}
              {attempt.error ? (
                <span className="tone-bad">{attempt.error.message}</span>
              ) : (
                <span>no error</span>
              )}
              {attempt.action ? <span className="muted"> — {attempt.action}</span> : null}
            </li>
          ))}
        </ol>
      )}
    </aside>
  );
}
