import { describe, expect, it } from 'vitest';
import {
  clickSelect,
  EMPTY_SELECTION,
  moveFocus,
  pruneSelection,
  selectAll,
} from '../../src-renderer/store/selection.ts';

const rows = ['a', 'b', 'c', 'd', 'e'];
const ids = (s: { selected: ReadonlySet<string> }) => [...s.selected].sort();

describe('selection', () => {
  it('click picks one; ctrl/cmd-click toggles; shift-click takes the range from the anchor', () => {
    let s = clickSelect(EMPTY_SELECTION, rows, 'b');
    expect(ids(s)).toEqual(['b']);
    s = clickSelect(s, rows, 'd', { toggle: true });
    s = clickSelect(s, rows, 'b', { toggle: true });
    expect(ids(s)).toEqual(['d']);
    // A ctrl/cmd-click moves the anchor, as in file managers.
    s = clickSelect(s, rows, 'e', { toggle: true });
    expect(ids(s)).toEqual(['d', 'e']);
    s = clickSelect(s, rows, 'c', { shift: true });
    expect(ids(s)).toEqual(['c', 'd', 'e']);
    // The anchor stays put: a second shift-click re-spans from it.
    s = clickSelect(s, rows, 'a', { shift: true });
    expect(ids(s)).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('ctrl-A selects every visible row', () => {
    expect(ids(selectAll(rows, EMPTY_SELECTION))).toEqual(rows);
  });

  it('arrows move the focus and clamp at the ends; shift extends', () => {
    let s = moveFocus(EMPTY_SELECTION, rows, 1, false);
    expect(s.focus).toBe('a');
    s = moveFocus(s, rows, 1, true);
    s = moveFocus(s, rows, 1, true);
    expect(ids(s)).toEqual(['a', 'b', 'c']);
    s = moveFocus(s, rows, 99, false);
    expect(s.focus).toBe('e');
    expect(ids(s)).toEqual(['e']);
    s = moveFocus(s, rows, -99, false);
    expect(s.focus).toBe('a');
  });

  it('drops rows that are gone, and returns the same object when none are', () => {
    const s = clickSelect(clickSelect(EMPTY_SELECTION, rows, 'a'), rows, 'c', { toggle: true });
    expect(pruneSelection(s, () => true)).toBe(s);
    const pruned = pruneSelection(s, (id) => id !== 'c');
    expect(ids(pruned)).toEqual(['a']);
    expect(pruned.focus).toBeNull();
  });
});
