import { FileUp } from 'lucide-react';

/** The list files Add reads: the portal's metadata TSV, plain lists, CSV/TSV, JSON. */
const LIST_TYPES = '.tsv,.txt,.csv,.json,text/plain,text/tab-separated-values,text/csv,application/json';

/** "Open a list…": a button that picks one list file and hands it over. */
export function OpenListButton({ onFile }: { onFile(file: File): void }) {
  return (
    <label className="button">
      <FileUp aria-hidden size={14} /> Open a list…
      <input
        type="file"
        className="sr-only"
        accept={LIST_TYPES}
        onChange={(e) => {
          const file = e.target.files?.[0];
          e.target.value = '';
          if (file) onFile(file);
        }}
      />
    </label>
  );
}
