// Placeholder: being written (id parsing). Replaced wholesale.
import type { ParsedId } from './domain/ids.ts';

export function parseId(_text: string): { ok: true; id: ParsedId } | { ok: false; reason: string } {
  return { ok: false, reason: 'not implemented yet' };
}
