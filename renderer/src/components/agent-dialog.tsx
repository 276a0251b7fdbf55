import { useEffect, useId, useRef, type ReactNode } from 'react';

const FOCUSABLE =
  'input:not([disabled]), select:not([disabled]), textarea:not([disabled]), button:not([disabled]), [href], [tabindex]:not([tabindex="-1"])';

/**
 * A modal dialog on the native <dialog>: the page behind is inert (keyboard and screen
 * readers stay inside), Escape closes it, focus moves to the element marked
 * `data-autofocus` (or the first control) and goes back where it was on close, or to
 * `returnFocus()` when that element is gone (a revoked key's row, say).
 */
export function Dialog({
  title,
  onClose,
  children,
  className,
  returnFocus,
  describedBy,
}: {
  title: ReactNode;
  onClose(): void;
  children: ReactNode;
  className?: string;
  returnFocus?: () => HTMLElement | null;
  describedBy?: string;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  // The latest callbacks, read by listeners attached once.
  const onCloseRef = useRef(onClose);
  const returnFocusRef = useRef(returnFocus);
  useEffect(() => {
    onCloseRef.current = onClose;
    returnFocusRef.current = returnFocus;
  });

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const onCancel = (event: Event) => {
      event.preventDefault(); // React decides: the dialog closes by unmounting
      onCloseRef.current();
    };
    // Closed by the browser anyway (a second Escape without user activation): follow it.
    const onNativeClose = () => onCloseRef.current();
    dialog.addEventListener('cancel', onCancel);
    dialog.addEventListener('close', onNativeClose);
    if (!dialog.open) dialog.showModal();
    const first =
      dialog.querySelector<HTMLElement>('[data-autofocus]') ??
      dialog.querySelector<HTMLElement>(FOCUSABLE);
    first?.focus();
    return () => {
      dialog.removeEventListener('cancel', onCancel);
      dialog.removeEventListener('close', onNativeClose);
      if (dialog.open) dialog.close();
      // The opener, unless it is gone, was the page itself, or sits in a dialog now closed
      // (a reveal opened from the issue dialog): then the fallback.
      const usable =
        opener !== null &&
        opener !== document.body &&
        opener.isConnected &&
        (opener.closest('dialog')?.open ?? true);
      const back = usable ? opener : (returnFocusRef.current?.() ?? null);
      // After React has removed the dialog, and only when no other dialog took over (an
      // issued key's reveal opens as the issue dialog closes).
      setTimeout(() => {
        if (!document.querySelector('dialog[open]')) back?.focus();
      }, 0);
    };
  }, []);

  return (
    <dialog
      ref={ref}
      className={`agent-dialog${className ? ` ${className}` : ''}`}
      aria-labelledby={titleId}
      aria-describedby={describedBy}
    >
      <h2 id={titleId}>{title}</h2>
      {children}
    </dialog>
  );
}

/**
 * "Are you sure?" for what cannot be undone. Cancel has the focus, so Enter on a stray
 * keypress does nothing harmful; the refusal, if any, is shown inside.
 */
export function ConfirmDialog({
  title,
  children,
  confirmLabel,
  busy,
  error,
  onConfirm,
  onClose,
  returnFocus,
}: {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  busy: boolean;
  error: string | null;
  onConfirm(): void;
  onClose(): void;
  returnFocus?: () => HTMLElement | null;
}) {
  const bodyId = useId();
  return (
    <Dialog title={title} onClose={onClose} returnFocus={returnFocus} describedBy={bodyId}>
      <div id={bodyId}>{children}</div>
      {error && (
        <p className="banner error" role="alert">
          {error}
        </p>
      )}
      <div className="dialog-actions">
        <button type="button" className="secondary" onClick={onClose} data-autofocus>
          Cancel
        </button>
        <button type="button" className="danger" disabled={busy} onClick={onConfirm}>
          {busy ? 'Working…' : confirmLabel}
        </button>
      </div>
    </Dialog>
  );
}

/** A dialog form's last row: Cancel, and the submit, which waits while the form is sent. */
export function DialogActions({
  onCancel,
  busy,
  children,
}: {
  onCancel(): void;
  busy: boolean;
  children: ReactNode;
}) {
  return (
    <div className="dialog-actions">
      <button type="button" className="secondary" onClick={onCancel}>
        Cancel
      </button>
      <button type="submit" disabled={busy}>
        {children}
      </button>
    </div>
  );
}
