import type { BundleEntry, DrsObject } from '../../../src-shared/domain/drs.ts';
import { AppError } from '../../../src-shared/domain/errors.ts';
import type { ParsedId } from '../../../src-shared/domain/ids.ts';
import { parseId } from '../../../src-shared/ids/ids.ts';
import { sanitizeFileName } from '../downloads/disk/naming.ts';
import type { BundleMember, BundlePlan } from '../downloads/job/source.ts';
import type { DrsClient } from './drs-client.ts';
import { encodeObjectId } from './drs-location.ts';

export interface BundleLimits {
  /** Nesting levels below the bundle itself. */
  maxDepth: number;
  maxFiles: number;
}

export const DEFAULT_BUNDLE_LIMITS: BundleLimits = { maxDepth: 10, maxFiles: 10_000 };

/**
 * Expands a DRS bundle (an object with `contents`) into its files, recursively: entries that are bundles
 * themselves become sub-folders named after the entry. Nested contents given inline (`?expand=true`) are used
 * as they are; other entries are resolved one by one. A bundle that contains itself, nests deeper than
 * `maxDepth` or holds more than `maxFiles` files fails with the reason, before anything is queued.
 */
export async function expandBundle(
  drs: DrsClient,
  bundle: DrsObject,
  options: { limits?: BundleLimits; signal?: AbortSignal; nameOf?: (object: DrsObject) => string } = {},
): Promise<BundlePlan> {
  const limits = options.limits ?? DEFAULT_BUNDLE_LIMITS;
  const rootName = bundle.name ?? bundle.id;
  const members: BundleMember[] = [];

  const walk = async (
    entries: readonly BundleEntry[],
    drsBase: string,
    folders: string[],
    path: string[],
  ): Promise<void> => {
    if (folders.length > limits.maxDepth) {
      throw new AppError(
        'bad-response',
        `Bundle ${rootName} nests more than ${limits.maxDepth} levels deep (at ${folders.join('/')}): ` +
          'download its parts one by one.',
      );
    }
    for (const entry of entries) {
      const folderName = sanitizeFileName(entry.name || entry.id || 'bundle', 'bundle');
      if (entry.contents.length > 0) {
        await walk(entry.contents, drsBase, [...folders, folderName], path);
        continue;
      }
      const child = childId(entry, drsBase);
      if (!child) {
        throw new AppError('bad-response', `Bundle ${rootName} has an entry "${entry.name}" without an id.`);
      }
      const key = `${child.drsBase}/objects/${child.objectId}`;
      if (path.includes(key)) {
        const names = [...path, key].map((one) => one.slice(one.lastIndexOf('/objects/') + 9));
        throw new AppError(
          'bad-response',
          `Bundle ${rootName} contains itself (${names.join(' → ')}): its server describes a cycle, so it ` +
            'cannot be saved as a folder tree.',
        );
      }
      const object = await drs.resolve(child, options.signal ? { signal: options.signal } : {});
      if (object.contents) {
        await walk(object.contents, object.drsBase, [...folders, folderName], [...path, key]);
        continue;
      }
      if (members.length >= limits.maxFiles) {
        throw new AppError(
          'bad-response',
          `Bundle ${rootName} holds more than ${limits.maxFiles} files: download its parts one by one.`,
        );
      }
      members.push({
        name: options.nameOf?.(object) ?? object.name ?? object.id,
        input: `${child.drsBase}/objects/${encodeObjectId(child.objectId)}`,
        id: child,
        folders,
      });
    }
  };

  await walk(bundle.contents ?? [], bundle.drsBase, [], [`${bundle.drsBase}/objects/${bundle.id}`]);
  return { folder: sanitizeFileName(rootName, 'bundle'), members };
}

/** The entry's object: its first drs:// URI the parser understands, else its id on the bundle's server. */
function childId(entry: BundleEntry, drsBase: string): Extract<ParsedId, { drsBase: string }> | undefined {
  for (const uri of entry.drsUris) {
    const parsed = parseId(uri);
    if (parsed.ok && (parsed.id.kind === 'drs-uri' || parsed.id.kind === 'drs-url')) return parsed.id;
  }
  if (!entry.id) return undefined;
  return { kind: 'drs-url', objectId: entry.id, drsBase };
}
