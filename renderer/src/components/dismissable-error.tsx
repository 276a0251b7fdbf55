/** Why an action was refused, on screen until the owner dismisses it. */
export function DismissableError({ message, onDismiss }: { message: string; onDismiss(): void }) {
  return (
    <p className="banner error" role="alert">
      {message}{' '}
      <button type="button" onClick={onDismiss}>
        Dismiss
      </button>
    </p>
  );
}
