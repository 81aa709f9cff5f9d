import type { SamplePortal } from '../../sample-portal/server.ts';

/** What the demo needs from the sample portal's startSamplePortal(). */
export type DemoPortal = Pick<SamplePortal, 'portalUrl' | 'keypairsPath' | 'close'>;
export type StartDemoPortal = () => Promise<DemoPortal>;

/**
 * The demo's portal: the project's sample portal (sample-portal/). A dynamic import, so the bundler puts it in a
 * chunk of its own that only `--demo` loads; a plain start of the web host or the CLI never evaluates it.
 */
export const startDemoPortal: StartDemoPortal = async () => {
  const { startSamplePortal } = await import('../../sample-portal/server.ts');
  return startSamplePortal({});
};
