/** Gathers a list's items, rejections and duplicates as each format's reader finds them. */
import type { ManifestItem, Rejected } from '../domain/ids.ts';
import { echoInput, idKey, parseId } from '../ids/ids.ts';

export interface Hints {
  md5?: string | undefined;
  size?: number | undefined;
}

const MD5_RE = /^[0-9a-fA-F]{32}$/;
const SIZE_RE = /^\d{1,16}$/;

/** An md5 hint when the text is 32 hex digits (N/A, blanks and anything else give none). */
export function md5Hint(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return MD5_RE.test(trimmed) ? trimmed.toLowerCase() : undefined;
}

/** A size hint from a whole number of bytes. 0 gives none: DRS and some exports use 0 for "unknown". */
export function sizeHint(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? sizeText(value) : Number.NaN;
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

function sizeText(value: string): number {
  const trimmed = value.trim();
  return SIZE_RE.test(trimmed) ? Number(trimmed) : Number.NaN;
}

export class ManifestCollector {
  readonly items: ManifestItem[] = [];
  readonly rejected: Rejected[] = [];
  readonly duplicates: Array<{ line: number; firstLine: number; text: string }> = [];
  /** Rows the source itself marks as unavailable (the metadata TSV's "### Not Yet Uploaded: " rows). */
  readonly unavailable: Rejected[] = [];
  private readonly firstLineByKey = new Map<string, number>();

  /** Parses one id and files it as an item, a duplicate or a rejection. */
  add(line: number, text: string, hints: Hints = {}): void {
    const reason = this.tryAdd(line, text, hints);
    if (reason !== undefined) this.reject(line, text, reason);
  }

  /** Like add, but a rejection is returned (its reason) rather than recorded. */
  tryAdd(line: number, text: string, hints: Hints = {}): string | undefined {
    const parsed = parseId(text);
    if (!parsed.ok) return parsed.reason;
    const key = idKey(parsed.id);
    const firstLine = this.firstLineByKey.get(key);
    if (firstLine !== undefined) {
      this.duplicates.push({ line, firstLine, text: echoInput(text.trim()) });
      return undefined;
    }
    this.firstLineByKey.set(key, line);
    const item: ManifestItem = { line, input: text.trim(), id: parsed.id, key };
    if (hints.md5 !== undefined) item.md5 = hints.md5;
    if (hints.size !== undefined) item.size = hints.size;
    this.items.push(item);
    return undefined;
  }

  reject(line: number, text: string, reason: string): void {
    this.rejected.push({ line, text: echoInput(text.trim()), reason });
  }
}
