import { access } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { AppError } from '../../src-shared/domain/errors.ts';

/** What the demo needs from test/portal/server.ts's startSamplePortal(). */
export interface SamplePortal {
  portalUrl: string;
  keypairsPath: string;
  close(): Promise<void>;
}
export type StartSamplePortal = () => Promise<SamplePortal>;

/**
 * Loads the sample portal from a source checkout at run time. The path is computed, so the bundler leaves the
 * import alone and no test code ends up in the shipped bundle; Node 24 runs the .ts file directly.
 */
export function samplePortalFrom(projectRoot: string): StartSamplePortal {
  return async () => {
    const path = resolve(projectRoot, 'test', 'portal', 'server.ts');
    try {
      await access(path);
    } catch {
      throw new AppError(
        'not-found',
        `The demo needs the sample portal at ${path}: run it from a source checkout (npm run demo).`,
      );
    }
    const mod: { startSamplePortal?: unknown } = await import(pathToFileURL(path).href);
    if (typeof mod.startSamplePortal !== 'function') {
      throw new AppError('internal', `${path} does not export startSamplePortal().`);
    }
    return (await mod.startSamplePortal({})) as SamplePortal;
  };
}
