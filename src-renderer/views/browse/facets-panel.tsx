import { useState } from 'react';
import type { Facet, SearchFilter } from '../../../src-shared/domain/portal.ts';

const SHOWN_TERMS = 8;

function FacetGroup({
  facet,
  filters,
  onToggle,
}: {
  facet: Facet;
  filters: readonly SearchFilter[];
  onToggle(field: string, value: string): void;
}) {
  const [all, setAll] = useState(false);
  const isOn = (key: string) => filters.some((f) => f.field === facet.field && f.value === key);
  // A chosen term the portal no longer counts (none left in the result) stays, so it can be unticked.
  const gone = filters
    .filter((f) => f.field === facet.field && !facet.terms.some((t) => t.key === f.value))
    .map((f) => ({ key: f.value, count: 0 }));
  const known = [...facet.terms, ...gone];
  // Chosen terms stay visible even when they fall outside the first few.
  const terms = all ? known : known.filter((t, i) => i < SHOWN_TERMS || isOn(t.key));
  return (
    <fieldset className="facet">
      <legend>{facet.title}</legend>
      {terms.map((term) => (
        <label key={term.key} className="facet-term">
          <input type="checkbox" checked={isOn(term.key)} onChange={() => onToggle(facet.field, term.key)} />
          <span className="facet-key" title={term.key}>
            {termLabel(facet.field, term.key)}
          </span>
          <span className="num muted">{term.count.toLocaleString('en')}</span>
        </label>
      ))}
      {facet.terms.length > SHOWN_TERMS ? (
        <button type="button" className="link-button" aria-expanded={all} onClick={() => setAll(!all)}>
          {all ? 'Show fewer' : `Show all ${facet.terms.length}`}
        </button>
      ) : null}
    </fieldset>
  );
}

/** Facet checkboxes with counts; ticking one filters the results at once. */
/**
 * A facet term in people's words: the portal's item types are class names (FileProcessed, FileReference),
 * shown as "Processed file"; other terms are the portal's own words and stay as they are.
 */
export function termLabel(field: string, key: string): string {
  if (field !== 'type') return key;
  const words = key.replace(/([a-z])([A-Z])/g, '$1 $2').split(' ');
  if (words[0] === 'File' && words.length > 1) {
    const rest = words.slice(1).join(' ').toLowerCase();
    return `${rest.charAt(0).toUpperCase()}${rest.slice(1)} file`;
  }
  return words.join(' ');
}

export function FacetsPanel({
  facets,
  filters,
  onToggle,
  onClear,
}: {
  facets: readonly Facet[];
  filters: readonly SearchFilter[];
  onToggle(field: string, value: string): void;
  onClear(): void;
}) {
  return (
    <aside className="facets" aria-label="Filters">
      {filters.length > 0 ? (
        <button type="button" className="link-button" onClick={onClear}>
          Clear {filters.length} {filters.length === 1 ? 'filter' : 'filters'}
        </button>
      ) : null}
      {facets
        .filter((facet) => facet.terms.length > 0)
        .map((facet) => (
          <FacetGroup key={facet.field} facet={facet} filters={filters} onToggle={onToggle} />
        ))}
    </aside>
  );
}
