import {
  ArrowDownToLine,
  Ban,
  Check,
  CircleCheck,
  CirclePause,
  CircleX,
  Clock,
  LoaderCircle,
  ShieldCheck,
  TriangleAlert,
  X,
} from 'lucide-react';
import type { Job, JobState } from '../../../src-shared/domain/job.ts';
import { checksumLabel, STATE_LABELS } from './job-labels.ts';

const STATE_ICONS = {
  queued: Clock,
  resolving: LoaderCircle,
  downloading: ArrowDownToLine,
  verifying: ShieldCheck,
  done: CircleCheck,
  failed: CircleX,
  paused: CirclePause,
  canceled: Ban,
} as const;

export function StateCell({ state }: { state: JobState }) {
  const Icon = STATE_ICONS[state];
  const label = STATE_LABELS[state];
  return (
    <td className={`cell c-state state-${state}`} data-testid="job-state" data-state={state} title={label}>
      <Icon aria-hidden size={15} className={state === 'resolving' ? 'spin' : undefined} />
      <span className="sr-only">{label}</span>
    </td>
  );
}

export function ChecksumCell({ job }: { job: Pick<Job, 'state' | 'verification' | 'checksum'> }) {
  const { text, tone } = checksumLabel(job);
  const Icon = tone === 'ok' ? Check : tone === 'warn' ? TriangleAlert : tone === 'bad' ? X : null;
  return (
    <td
      className={`cell c-checksum tone-${tone}`}
      data-testid="job-checksum"
      data-verification={job.verification}
      title={job.checksum ? `${job.checksum.type}: ${job.checksum.value}` : 'The server gave no checksum'}
    >
      {Icon ? <Icon aria-hidden size={14} /> : null}
      <span>{text}</span>
    </td>
  );
}

/** Long names keep their start and their extension: 4DNFI….pairs.gz. */
export function middleEllipsis(name: string, max = 56): string {
  if (name.length <= max) return name;
  const tail = Math.min(16, Math.floor(max / 3));
  return `${name.slice(0, max - tail - 1)}…${name.slice(-tail)}`;
}
