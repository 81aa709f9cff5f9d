/** "a/b/x.txt" paths as indented lines, each folder once: ["a/", "  b/", "    x.txt"]. */
export function treeLines(files: readonly string[]): string[] {
  const lines: string[] = [];
  const open: string[] = [];
  for (const file of [...files].sort()) {
    const parts = file.split('/');
    const name = parts.pop() ?? file;
    let depth = 0;
    while (depth < open.length && open[depth] === parts[depth]) depth++;
    open.length = depth;
    for (; depth < parts.length; depth++) {
      lines.push(`${'  '.repeat(depth)}${parts[depth]}/`);
      open.push(parts[depth] as string);
    }
    lines.push(`${'  '.repeat(parts.length)}${name}`);
  }
  return lines;
}
