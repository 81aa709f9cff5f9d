import { ClipboardPaste, Search } from 'lucide-react';
import { flushSync } from 'react-dom';
import { handleDrop } from '../../components/drop-anywhere.ts';
import { OpenListButton } from '../../components/open-list-button.tsx';
import { useStores } from '../../store/context.tsx';

/** Where the Add view's text box is, to put the cursor in it for "Paste accessions". */
const ADD_INPUT = '[data-testid="add-input"]';

/**
 * The empty queue, inside its table: what to do, and buttons that do it (open a list file, paste accessions
 * into Add, search the portal in Browse).
 */
export function QueueEmpty() {
  const stores = useStores();
  const { setView } = stores.app.getState();
  const paste = () => {
    // Rendered at once, so the text box exists to take the cursor.
    flushSync(() => setView('add'));
    document.querySelector<HTMLTextAreaElement>(ADD_INPUT)?.focus();
  };
  return (
    <div className="empty-state" data-testid="queue-empty">
      <p>Drop an accession list or the portal's metadata TSV here, or search in Browse.</p>
      <div className="empty-actions">
        <OpenListButton onFile={(file) => void handleDrop(stores, { files: [file], text: '' })} />
        <button type="button" onClick={paste}>
          <ClipboardPaste aria-hidden size={14} /> Paste accessions
        </button>
        <button type="button" onClick={() => setView('browse')}>
          <Search aria-hidden size={14} /> Browse the portal
        </button>
      </div>
    </div>
  );
}
