// Placeholder: being written (manifest parsing). Replaced wholesale.
import type { ManifestResult } from './domain/ids.ts';

export function parseManifest(_text: string, _options: { fileName?: string } = {}): ManifestResult {
  return { format: 'plain', items: [], rejected: [], duplicates: [] };
}
