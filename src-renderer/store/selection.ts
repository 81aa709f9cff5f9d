/**
 * List selection as file managers do it: click picks one, ctrl/cmd-click toggles, shift-click takes the range
 * from the anchor, arrows move the focus (shift extends). Pure, so the Queue and the tables share it.
 */
export interface Selection {
  selected: ReadonlySet<string>;
  /** Where a shift-range starts. */
  anchor: string | null;
  /** The row the keyboard is on. */
  focus: string | null;
}

export const EMPTY_SELECTION: Selection = { selected: new Set(), anchor: null, focus: null };

export interface ClickModifiers {
  shift?: boolean;
  /** Ctrl on Linux and Windows, Cmd on macOS. */
  toggle?: boolean;
}

function range(visible: readonly string[], from: string | null, to: string): string[] {
  const end = visible.indexOf(to);
  const start = from === null ? -1 : visible.indexOf(from);
  if (end < 0) return [];
  if (start < 0) return [to];
  const [lo, hi] = start <= end ? [start, end] : [end, start];
  return visible.slice(lo, hi + 1);
}

export function clickSelect(
  selection: Selection,
  visible: readonly string[],
  id: string,
  mods: ClickModifiers = {},
): Selection {
  if (mods.shift) {
    const ids = range(visible, selection.anchor, id);
    const selected = mods.toggle ? new Set([...selection.selected, ...ids]) : new Set(ids);
    return { selected, anchor: selection.anchor ?? id, focus: id };
  }
  if (mods.toggle) {
    const selected = new Set(selection.selected);
    if (selected.has(id)) selected.delete(id);
    else selected.add(id);
    return { selected, anchor: id, focus: id };
  }
  return { selected: new Set([id]), anchor: id, focus: id };
}

export function selectAll(visible: readonly string[], selection: Selection): Selection {
  return {
    selected: new Set(visible),
    anchor: selection.anchor ?? visible[0] ?? null,
    focus: selection.focus,
  };
}

/** Arrow keys: moves the focus by delta rows (clamped); selects it, or extends the range with shift. */
export function moveFocus(
  selection: Selection,
  visible: readonly string[],
  delta: number,
  extend: boolean,
): Selection {
  if (visible.length === 0) return selection;
  const current = selection.focus === null ? -1 : visible.indexOf(selection.focus);
  const start = current < 0 ? (delta > 0 ? -1 : visible.length) : current;
  const index = Math.max(0, Math.min(visible.length - 1, start + delta));
  const id = visible[index] as string;
  if (extend) return { ...clickSelect(selection, visible, id, { shift: true }), focus: id };
  return { selected: new Set([id]), anchor: id, focus: id };
}

/** Drops ids that no longer exist; returns the same object when nothing went. */
export function pruneSelection(selection: Selection, exists: (id: string) => boolean): Selection {
  let changed = false;
  const selected = new Set<string>();
  for (const id of selection.selected) {
    if (exists(id)) selected.add(id);
    else changed = true;
  }
  const anchor = selection.anchor !== null && !exists(selection.anchor) ? null : selection.anchor;
  const focus = selection.focus !== null && !exists(selection.focus) ? null : selection.focus;
  if (!changed && anchor === selection.anchor && focus === selection.focus) return selection;
  return { selected, anchor, focus };
}
