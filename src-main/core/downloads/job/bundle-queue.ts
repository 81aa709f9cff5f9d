import { pathInside } from '../disk/naming.ts';
import type { RunContext } from './run-deps.ts';
import type { BundleMember, BundlePlan } from './source.ts';

/**
 * A bundle job ends once its files are queued in its folder tree; they download as jobs of their own. It keeps
 * no path: removing it with its files must not touch the folder its members fill.
 */
export function queueBundle(run: RunContext, bundle: BundlePlan): void {
  const { job, hooks } = run;
  const folder = pathInside(job.destDir, bundle.folder);
  const byFolder = new Map<string, BundleMember[]>();
  for (const member of bundle.members) {
    const dir = member.folders.reduce(pathInside, folder);
    byFolder.set(dir, [...(byFolder.get(dir) ?? []), member]);
  }
  let queued = 0;
  for (const [dir, members] of byFolder) queued += hooks.queueMembers(members, dir);
  job.name = `${bundle.folder}/`;
  job.bundleFiles = bundle.members.length;
  const count = bundle.members.length;
  run.status.finish('done', {
    verification: 'skipped',
    note:
      count === 0
        ? 'An empty bundle: nothing to download.'
        : `A bundle of ${count} file(s): ${queued} queued into ${bundle.folder}/ (each is verified on its own).`,
  });
}
