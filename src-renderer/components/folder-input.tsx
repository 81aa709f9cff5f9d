import { errorMessage } from '../api/transport.ts';
import { useApp, useStores } from '../store/context.tsx';

/**
 * A folder path field. In the desktop app a "Choose…" button beside it opens the system's folder picker; the
 * browser UI has none (a web page cannot name a folder on disk), so there the path is typed.
 */
export function FolderInput(props: {
  id: string;
  value: string;
  onChange: (path: string) => void;
  placeholder?: string;
  describedBy?: string | undefined;
  invalid?: boolean;
}) {
  const stores = useStores();
  const hasPicker = useApp((s) => s.info?.host === 'electron');
  const choose = async () => {
    try {
      const { path } = await stores.transport.invoke('app:choose-folder', {
        ...(props.value.trim() ? { current: props.value.trim() } : {}),
      });
      if (path) props.onChange(path);
    } catch (error) {
      stores.app.getState().notify('error', `Could not open the folder picker: ${errorMessage(error)}`);
    }
  };
  return (
    <div className="folder-input">
      <input
        id={props.id}
        type="text"
        spellCheck={false}
        value={props.value}
        placeholder={props.placeholder}
        aria-invalid={props.invalid ? true : undefined}
        aria-describedby={props.describedBy}
        onChange={(e) => props.onChange(e.target.value)}
      />
      {hasPicker ? (
        <button type="button" onClick={() => void choose()}>
          Choose…
        </button>
      ) : null}
    </div>
  );
}
