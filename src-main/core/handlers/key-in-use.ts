import type { ProfileClients } from '../profile-clients.ts';
import type { Handlers } from '../router.ts';

export type KeyInUseHandlers = Pick<Handlers, 'profiles:resolve'>;

/**
 * profiles:resolve: which key lookups and downloads of a profile use, as ProfileClients resolved it (so the
 * answer is the key actually sent), built field by field: no secret can reach the output.
 */
export function createKeyInUseHandlers(deps: {
  clients: Pick<ProfileClients, 'describe'>;
}): KeyInUseHandlers {
  return {
    'profiles:resolve': async ({ profile }) => {
      const { source, profile: name, path, server, warnings } = await deps.clients.describe(profile);
      return {
        source,
        ...(name !== undefined ? { profile: name } : {}),
        ...(path !== undefined ? { path } : {}),
        server,
        warnings: [...warnings],
      };
    },
  };
}
