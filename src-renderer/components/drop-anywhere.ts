import { useEffect, useState } from 'react';
import type { Stores } from '../store/stores.ts';
import { importKeypairs, looksLikeKeypairs } from '../views/accounts/import-keys.tsx';

interface Dropped {
  files: File[];
  text: string;
}

function accepts(event: DragEvent): boolean {
  const types = event.dataTransfer?.types ?? [];
  return [...types].some((t) => t === 'Files' || t === 'text/plain' || t === 'text/uri-list');
}

/**
 * What a drop means: a keypairs.json goes to Accounts; any other file or text opens Add with it parsed.
 * Text dropped onto typed text is appended; a dropped file replaces the list (its name tells the format).
 */
export async function handleDrop(stores: Stores, dropped: Dropped): Promise<void> {
  const { app, add } = stores;
  if (dropped.files.length > 0) {
    const read = await Promise.all(
      dropped.files.map(async (file) => ({ name: file.name, text: await file.text() })),
    );
    const keys = read.filter((f) => looksLikeKeypairs(f.text));
    const lists = read.filter((f) => !looksLikeKeypairs(f.text));
    for (const file of keys) await importKeypairs(stores, file.text);
    const first = lists[0];
    if (first) {
      add.getState().setText(first.text, first.name);
      app.getState().setView('add');
      if (lists.length > 1)
        app.getState().notify('info', `Opened ${first.name}; drop the other lists one at a time.`);
    } else if (keys.length > 0) {
      app.getState().setView('accounts');
    }
    return;
  }
  const text = dropped.text.trim();
  if (!text) return;
  const { text: current, fileName } = add.getState();
  add
    .getState()
    .setText(current.trim() && !fileName ? `${current.trimEnd()}\n${text}\n` : `${text}\n`, undefined);
  app.getState().setView('add');
}

/** Listens for drags over the whole window; true while something droppable is over it (for the overlay). */
export function useDropAnywhere(stores: Stores): boolean {
  const [dragging, setDragging] = useState(false);
  useEffect(() => {
    let depth = 0;
    const enter = (e: DragEvent) => {
      if (!accepts(e)) return;
      e.preventDefault();
      depth++;
      setDragging(true);
    };
    const over = (e: DragEvent) => {
      if (!accepts(e)) return;
      e.preventDefault();
      if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
    };
    const leave = () => {
      depth = Math.max(0, depth - 1);
      if (depth === 0) setDragging(false);
    };
    const drop = (e: DragEvent) => {
      e.preventDefault();
      depth = 0;
      setDragging(false);
      const data = e.dataTransfer;
      if (!data) return;
      // Read now: a DataTransfer is emptied once the event is over.
      const dropped = {
        files: [...data.files],
        text: data.getData('text/plain') || data.getData('text/uri-list'),
      };
      void handleDrop(stores, dropped);
    };
    window.addEventListener('dragenter', enter);
    window.addEventListener('dragover', over);
    window.addEventListener('dragleave', leave);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragenter', enter);
      window.removeEventListener('dragover', over);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('drop', drop);
    };
  }, [stores]);
  return dragging;
}
