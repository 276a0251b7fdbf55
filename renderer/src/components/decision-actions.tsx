import { useState, type ReactNode } from 'react';

/** The owner's optional comment on a decision: `note` is what is sent (none when blank). */
export interface Comment {
  text: string;
  setText(text: string): void;
  note: string | undefined;
}

export function useComment(): Comment {
  const [text, setText] = useState('');
  return { text, setText, note: text.trim() || undefined };
}

interface Choice {
  label: ReactNode;
  onClick(): void;
  /** Disabled for a reason of its own (an invalid amount, a hard limit), busy or not. */
  disabled?: boolean;
}

/**
 * What every pending card in Approvals ends with: any controls of its own (a budget's
 * amount and hours), the comment, then the yes and the no. Both wait while the card's
 * action runs, so a second click never sends a second decision.
 */
export function DecisionActions({
  comment,
  busy,
  yes,
  no,
  children,
}: {
  comment: Comment;
  busy: boolean;
  yes: Choice;
  no: Choice;
  children?: ReactNode;
}) {
  return (
    <div className="actions">
      {children}
      <input
        aria-label="Comment"
        placeholder="Comment (optional)"
        value={comment.text}
        onChange={(e) => comment.setText(e.target.value)}
      />
      <button disabled={busy || yes.disabled} onClick={yes.onClick}>
        {yes.label}
      </button>
      <button className="secondary" disabled={busy || no.disabled} onClick={no.onClick}>
        {no.label}
      </button>
    </div>
  );
}
