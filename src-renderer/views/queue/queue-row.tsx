import { memo } from 'react';
import { formatBytes, formatDuration, formatPercent, formatRate } from '../../../src-shared/format.ts';
import { ProgressBar } from '../../components/progress-bar.tsx';
import { useQueue } from '../../store/context.tsx';
import { ChecksumCell, middleEllipsis, StateCell } from './job-cells.tsx';
import { jobPath, reasonText } from './job-labels.ts';

export const ROW_HEIGHT = 34;

export interface RowProps {
  id: string;
  index: number;
  start: number;
  selected: boolean;
  focused: boolean;
}

export function rowDomId(id: string): string {
  return `job-row-${id.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

/**
 * One job. It reads its own job and speed from the store, so a progress tick re-renders only moving rows.
 * Clicks are handled once, on the grid (data-job-id says which row).
 */
export const QueueRow = memo(function QueueRow({ id, index, start, selected, focused }: RowProps) {
  const job = useQueue((s) => s.jobs.get(id));
  const live = useQueue((s) => s.live.get(id));
  if (!job) return null;
  const reason = reasonText(job);
  const size = job.size;
  const bytesDone = job.state === 'done' && size !== undefined ? size : job.bytesDone;
  const tone = job.state === 'failed' ? 'bad' : 'muted';
  const className = ['row', selected ? 'selected' : '', focused ? 'focused' : '', `row-${job.state}`].join(
    ' ',
  );
  return (
    <tr
      id={rowDomId(id)}
      aria-rowindex={index + 2}
      aria-selected={selected}
      aria-label={job.name}
      data-testid="queue-row"
      data-job-id={id}
      className={className}
      style={{ transform: `translateY(${start}px)` }}
    >
      <StateCell state={job.state} />
      <td className="cell c-name" title={jobPath(job)}>
        <span className="name-text">{middleEllipsis(job.name)}</span>
        {reason ? <span className={`reason-inline tone-${tone}`}>{reason}</span> : null}
      </td>
      <td className="cell c-size num">{size !== undefined ? formatBytes(size) : '—'}</td>
      <td className="cell c-progress">
        <ProgressBar value={bytesDone} max={size} label={`Progress of ${job.name}`} />
        <span className="num percent">{size ? formatPercent(bytesDone, size) : ''}</span>
      </td>
      <td className="cell c-speed num">{live ? formatRate(live.speed) : ''}</td>
      <td className="cell c-eta num">{live && live.eta !== undefined ? formatDuration(live.eta) : ''}</td>
      <ChecksumCell job={job} />
      <td className={`cell c-reason tone-${tone}`} title={reason}>
        {reason}
      </td>
    </tr>
  );
});
