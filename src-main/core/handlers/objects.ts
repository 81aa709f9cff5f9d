import type { DrsClient } from '../drs/drs-client.ts';
import type { Handlers } from '../router.ts';

export type ObjectsHandlers = Pick<Handlers, 'objects:resolve'>;

export interface ObjectsDeps {
  /** The DRS client for a profile (its server and key), or the default profile's. */
  drsFor(profile?: string): Promise<DrsClient>;
}

export function createObjectsHandlers(deps: ObjectsDeps): ObjectsHandlers {
  return {
    'objects:resolve': async ({ ids, profile }) => {
      const drs = await deps.drsFor(profile);
      const results = await drs.resolveMany(ids);
      return {
        results: results.map((result) =>
          result.ok
            ? { input: result.input, ok: true as const, object: result.object }
            : { input: result.input, ok: false as const, error: result.error.toInfo() },
        ),
      };
    },
  };
}
