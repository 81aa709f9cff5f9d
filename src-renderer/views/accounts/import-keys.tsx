import { FileJson } from 'lucide-react';
import { errorMessage } from '../../api/transport.ts';
import { useStores } from '../../store/context.tsx';
import type { Stores } from '../../store/stores.ts';

/** True for a keypairs.json-shaped text: an object whose entries carry a key and a secret. */
export function looksLikeKeypairs(text: string): boolean {
  if (!text.trimStart().startsWith('{')) return false;
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
    return Object.values(value).some(
      (entry) => typeof entry === 'object' && entry !== null && 'key' in entry && 'secret' in entry,
    );
  } catch {
    return false;
  }
}

/** Sends a keypairs.json's text to the core and says what came of it. The text is not kept. */
export async function importKeypairs(stores: Stores, text: string): Promise<void> {
  const notify = stores.app.getState().notify;
  try {
    const { imported, rejected } = await stores.profiles.getState().importText(text);
    const parts = [];
    if (imported.length) parts.push(`Imported ${imported.map((p) => p.name).join(', ')}.`);
    if (rejected.length)
      parts.push(`Not imported: ${rejected.map((r) => `${r.name} (${r.reason})`).join('; ')}.`);
    notify(imported.length ? 'success' : 'error', parts.join(' ') || 'No keys found in that file.');
  } catch (error) {
    notify('error', `Could not import keys: ${errorMessage(error)}`);
  }
}

export function ImportKeys() {
  const stores = useStores();
  return (
    <div className="card import-keys">
      <h3>Import keypairs.json</h3>
      <p className="muted">
        Choose or drop the <code>keypairs.json</code> you use with the portal's tools; each entry becomes a
        profile.
      </p>
      <label className="button">
        <FileJson aria-hidden size={14} /> Import keypairs.json
        <input
          type="file"
          className="sr-only"
          accept=".json,application/json"
          onChange={(e) => {
            const file = e.target.files?.[0];
            e.target.value = '';
            if (file) void file.text().then((text) => importKeypairs(stores, text));
          }}
        />
      </label>
    </div>
  );
}
