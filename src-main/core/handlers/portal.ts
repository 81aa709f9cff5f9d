import type { Handlers } from '../router.ts';
import { notImplemented } from './not-implemented.ts';

export type PortalHandlers = Pick<Handlers, 'portal:search' | 'portal:facets'>;

export function createPortalHandlers(_deps: Record<string, unknown>): PortalHandlers {
  return {
    'portal:search': async () => notImplemented('portal:search'),
    'portal:facets': async () => notImplemented('portal:facets'),
  };
}
