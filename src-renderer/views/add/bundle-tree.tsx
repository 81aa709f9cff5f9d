import { plural } from '../../../src-shared/format.ts';
import { treeLines } from '../../../src-shared/path-tree.ts';

/** A bundle's files as the folder tree they will be saved in, folded under a one-line summary. */
export function BundleTree({ files }: { files: readonly string[] }) {
  const lines = treeLines(files);
  return (
    <details className="bundle-tree">
      <summary>Bundle of {plural(files.length, 'file')}</summary>
      <pre>{lines.join('\n')}</pre>
    </details>
  );
}
