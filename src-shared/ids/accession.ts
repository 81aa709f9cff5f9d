/**
 * 4DN accessions: what a file accession is, and a helpful reason when something only looks like one.
 * File accessions are `4DNFI` + 7 of [1-9A-Z] (the portal never issues a zero); test servers use `TSTFI` +
 * 7 of [0-9A-Z].
 */
export const ACCESSION_RE = /^(?:4DNFI[1-9A-Z]{7}|TSTFI[0-9A-Z]{7})$/;

export function isFileAccession(s: string): boolean {
  return s.length === 12 && ACCESSION_RE.test(s);
}

/** The item kinds behind the other 4DN accession prefixes (PORTAL.md), as a person would name them. */
const ITEM_KINDS: Record<string, string> = {
  BS: 'a biosample',
  ES: 'an experiment set',
  EX: 'an experiment',
  FS: 'a file set',
  IN: 'an individual',
  SR: 'a biosource',
  WF: 'a workflow',
};

const ACCESSION_LIKE_RE = /^(?:4DN|TSTFI)[0-9A-Z]{2,30}$/;
const OTHER_ITEM_RE = /^4DN([A-Z]{2})[0-9A-Z]{7}$/;

export type AccessionCheck = { ok: true; accession: string } | { ok: false; reason: string };

/**
 * Classifies text that may be an accession. Returns undefined when it does not look like one at all.
 * `allowLowerCase`: a bare accession typed by a person is normalised to upper case; inside a link it is
 * not rewritten (the portal's paths are case-sensitive), so there it is rejected with a hint instead.
 */
export function checkAccession(text: string, allowLowerCase: boolean): AccessionCheck | undefined {
  const upper = text.toUpperCase();
  if (!ACCESSION_LIKE_RE.test(upper)) return undefined;
  if (isFileAccession(upper)) {
    if (text === upper || allowLowerCase) return { ok: true, accession: upper };
    return { ok: false, reason: `Accessions are upper case: did you mean ${upper}?` };
  }
  const other = OTHER_ITEM_RE.exec(upper);
  if (other && other[1] !== 'FI') {
    const kind = ITEM_KINDS[other[1] ?? ''] ?? 'a 4DN item';
    return {
      ok: false,
      reason:
        `${upper} is ${kind}, not a file: open it on the portal and add its files, ` +
        'or use the metadata TSV',
    };
  }
  const prefix = upper.startsWith('TSTFI') ? 'TSTFI' : upper.startsWith('4DNFI') ? '4DNFI' : undefined;
  if (prefix === undefined) return undefined;
  const rest = upper.slice(5);
  if (rest.length !== 7) {
    return {
      ok: false,
      reason:
        `${upper} is not a file accession: ${prefix} is followed by exactly 7 letters or digits ` +
        `(12 characters in all; this has ${upper.length})`,
    };
  }
  // Only 4DNFI with a zero is left: the portal never issues zeros, so it is most likely the letter O.
  return {
    ok: false,
    reason: `${upper} is not a file accession: 4DN file accessions never contain the digit 0 (did you mean ${prefix}${rest.replaceAll('0', 'O')}?)`,
  };
}

/** Finds a file accession at the start of a name such as `4DNFIJ7T3LUD.pairs.gz` (for hints only). */
export function accessionAtStart(name: string): string | undefined {
  const candidate = name.slice(0, 12);
  return isFileAccession(candidate) && (name.length === 12 || name[12] === '.') ? candidate : undefined;
}
