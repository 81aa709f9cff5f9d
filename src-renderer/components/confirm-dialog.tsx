import { useEffect, useId, useRef } from 'react';

export interface ConfirmRequest {
  title: string;
  body: string;
  confirmLabel: string;
  onConfirm: () => void;
  /** A second, milder way to say yes (Remove, keeping the partial file), shown before the main one. */
  alternative?: { label: string; onSelect: () => void };
}

/** A small modal question. Escape or Cancel says no; focus starts on Cancel, since the question guards a loss. */
export function ConfirmDialog({ request, onClose }: { request: ConfirmRequest; onClose: () => void }) {
  const titleId = useId();
  const bodyId = useId();
  const cancelRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    cancelRef.current?.focus();
    return () => previous?.focus?.();
  }, []);
  return (
    <div className="modal-backdrop">
      <div
        className="modal"
        role="alertdialog"
        aria-modal="true"
        aria-labelledby={titleId}
        aria-describedby={bodyId}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.stopPropagation();
            onClose();
          }
        }}
      >
        <h2 id={titleId}>{request.title}</h2>
        <p id={bodyId}>{request.body}</p>
        <div className="modal-actions">
          <button type="button" ref={cancelRef} onClick={onClose}>
            Cancel
          </button>
          {request.alternative ? (
            <button
              type="button"
              onClick={() => {
                onClose();
                request.alternative?.onSelect();
              }}
            >
              {request.alternative.label}
            </button>
          ) : null}
          <button
            type="button"
            className="danger"
            onClick={() => {
              onClose();
              request.onConfirm();
            }}
          >
            {request.confirmLabel}
          </button>
        </div>
      </div>
    </div>
  );
}
