import type { Job } from '../../../../src-shared/domain/job.ts';
import type { JobRecord } from '../../store/job-record.ts';

/** A job as the core sends it out: a copy, carrying its queue position so every window orders rows alike. */
export function publicJob(record: JobRecord): Job {
  return { ...record.job, order: record.order };
}
