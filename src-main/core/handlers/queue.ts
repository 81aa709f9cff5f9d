import type { Handlers } from '../router.ts';
import { notImplemented } from './not-implemented.ts';

export type QueueHandlers = Pick<
  Handlers,
  | 'queue:add'
  | 'queue:snapshot'
  | 'queue:pause'
  | 'queue:resume'
  | 'queue:cancel'
  | 'queue:retry'
  | 'queue:remove'
  | 'queue:pause-all'
  | 'queue:resume-all'
  | 'queue:retry-failed'
  | 'queue:reorder'
  | 'queue:open-target'
>;

export function createQueueHandlers(_deps: Record<string, unknown>): QueueHandlers {
  return {
    'queue:add': async () => notImplemented('queue:add'),
    'queue:snapshot': async () => notImplemented('queue:snapshot'),
    'queue:pause': async () => notImplemented('queue:pause'),
    'queue:resume': async () => notImplemented('queue:resume'),
    'queue:cancel': async () => notImplemented('queue:cancel'),
    'queue:retry': async () => notImplemented('queue:retry'),
    'queue:remove': async () => notImplemented('queue:remove'),
    'queue:pause-all': async () => notImplemented('queue:pause-all'),
    'queue:resume-all': async () => notImplemented('queue:resume-all'),
    'queue:retry-failed': async () => notImplemented('queue:retry-failed'),
    'queue:reorder': async () => notImplemented('queue:reorder'),
    'queue:open-target': async () => notImplemented('queue:open-target'),
  };
}
