import type { PortalClient } from '../drs/portal-client.ts';
import type { Handlers } from '../router.ts';

export type PortalHandlers = Pick<Handlers, 'portal:search' | 'portal:facets'>;

export interface PortalDeps {
  /** The portal client for a profile (its server and key), or the default profile's. */
  portalFor(profile?: string): Promise<PortalClient>;
}

export function createPortalHandlers(deps: PortalDeps): PortalHandlers {
  return {
    'portal:search': async (query) => (await deps.portalFor(query.profile)).search(query),
    'portal:facets': async ({ profile, types }) => ({
      facets: await (await deps.portalFor(profile)).facets(types),
    }),
  };
}
