import type { Handlers } from '../router.ts';
import { notImplemented } from './not-implemented.ts';

export type ObjectsHandlers = Pick<Handlers, 'objects:resolve'>;

export function createObjectsHandlers(_deps: Record<string, unknown>): ObjectsHandlers {
  return {
    'objects:resolve': async () => notImplemented('objects:resolve'),
  };
}
