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

/** A file already read: from a drop in the page, or handed over by the desktop shell (app:open-items). */
export interface OpenedFile {
  name: string;
  text: string;
}

/** Reads dropped files, then treats them as `openLists` does. */
export async function handleDrop(stores: Stores, dropped: Dropped): Promise<void> {
  const files = await Promise.all(
    dropped.files.map(async (file) => ({ name: file.name, text: await file.text() })),
  );
  await openLists(stores, { files, text: dropped.text });
}

/**
 * What a drop (or a drs:// link or list file opened with the desktop app) means: a keypairs.json goes to
 * Accounts; any other file or text opens Add with it parsed. Text is appended to typed text; a file replaces
 * the list (its name tells the format).
 */
export async function openLists(
  stores: Stores,
  opened: { files: OpenedFile[]; text: string },
): Promise<void> {
  const { app, add } = stores;
  if (opened.files.length > 0) {
    const keys = opened.files.filter((f) => looksLikeKeypairs(f.text));
    const lists = opened.files.filter((f) => !looksLikeKeypairs(f.text));
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
    if (first || keys.length > 0) return;
  }
  const text = opened.text.trim();
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
