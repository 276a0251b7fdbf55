import { useState, type FormEvent } from 'react';
import { visible } from '../../../shared/text/visible';
import type { AgentView } from '../../../shared/schemas/owner-api';
import type { KeyView } from '../api/client';
import { useAgents } from '../stores/agents';
import { keyIsLive, type RevealedKey } from '../stores/agents-state';
import { ConfirmDialog, Dialog, DialogActions } from './agent-dialog';

const shortKey = (k: Pick<KeyView, 'prefix' | 'last4'>) => `${k.prefix}…${k.last4}`;
const day = (iso: string) =>
  new Date(iso).toLocaleDateString('en-US', { month: 'short', day: 'numeric', year: 'numeric' });

/** Where focus goes when a dialog's opener is gone: the agent's "Issue key" button. */
export const issueButtonOf = (agentId: string) => () =>
  document.querySelector<HTMLElement>(`[data-agent-id="${CSS.escape(agentId)}"] .issue-key`);

/** What a listed key offers, in order, each confirmed first; revoking cannot be undone. */
const KEY_ACTIONS = [
  { kind: 'rotate', verb: 'Rotate', className: 'secondary small' },
  { kind: 'revoke', verb: 'Revoke', className: 'secondary small danger-text' },
] as const;
type Confirming = { action: (typeof KEY_ACTIONS)[number]; key: KeyView } | null;

/**
 * The agent's working keys, each with Rotate (a new key, then the old one revoked) and
 * Revoke, both confirmed first; and Issue key. A key is never listed in full: Purser keeps
 * only its hash, its prefix and its last four characters.
 */
export function AgentKeys({
  agent,
  keys,
  now,
}: {
  agent: AgentView;
  keys: KeyView[] | undefined;
  now: number;
}) {
  const busy = useAgents((s) => s.busy);
  const rotateKey = useAgents((s) => s.rotateKey);
  const revokeKey = useAgents((s) => s.revokeKey);
  const [confirming, setConfirming] = useState<Confirming>(null);
  const [issuing, setIssuing] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const revoked = agent.status === 'revoked';

  const live = (keys ?? []).filter((k) => keyIsLive(k, now));
  const dead = (keys ?? []).length - live.length;

  const close = () => {
    setConfirming(null);
    setError(null);
  };
  const confirm = async () => {
    if (!confirming) return;
    const refused =
      confirming.action.kind === 'rotate'
        ? await rotateKey(confirming.key.id)
        : await revokeKey(confirming.key.id);
    if (refused) setError(refused);
    else close();
  };

  return (
    <div className="agent-keys">
      <div className="agent-keys-head">
        <h4>Keys</h4>
        {!revoked && (
          <button
            type="button"
            className="secondary small issue-key"
            onClick={() => setIssuing(true)}
          >
            Issue key
          </button>
        )}
      </div>
      {keys === undefined ? (
        <p className="empty">Loading keys…</p>
      ) : live.length === 0 ? (
        <p className="empty">
          {revoked
            ? 'No keys: a revoked agent cannot get new ones.'
            : 'No working key. Issue one and give it to the agent as PURSER_KEY.'}
        </p>
      ) : (
        <ul className="key-list">
          {live.map((k) => (
            <li key={k.id} data-key-id={k.id}>
              <code className="key-id">{shortKey(k)}</code>
              {k.label && <span className="key-label">{visible(k.label)}</span>}
              <span className="key-meta">
                issued {day(k.created_at)}
                {k.expires_at && ` · expires ${day(k.expires_at)}`}
              </span>
              <span className="key-actions">
                {KEY_ACTIONS.map((action) => (
                  <button
                    key={action.kind}
                    type="button"
                    className={action.className}
                    disabled={busy === k.id}
                    aria-label={`${action.verb} key ${shortKey(k)}`}
                    onClick={() => setConfirming({ action, key: k })}
                  >
                    {action.verb}
                  </button>
                ))}
              </span>
            </li>
          ))}
        </ul>
      )}
      {dead > 0 && (
        <p className="key-dead">
          {dead} revoked or expired key{dead === 1 ? '' : 's'}
        </p>
      )}

      {issuing && <IssueKeyDialog agent={agent} onClose={() => setIssuing(false)} />}
      {confirming && (
        <ConfirmDialog
          key={confirming.action.kind}
          title={`${confirming.action.verb} key ${shortKey(confirming.key)}?`}
          confirmLabel={`${confirming.action.verb} key`}
          busy={busy === confirming.key.id}
          error={error}
          onConfirm={() => void confirm()}
          onClose={close}
          returnFocus={issueButtonOf(agent.id)}
        >
          {confirming.action.kind === 'rotate' ? (
            <p>
              Purser issues a new key for {visible(agent.name)} and shows it once, then revokes{' '}
              <code>{shortKey(confirming.key)}</code>. From then on the old key is refused (
              <code>403 revoked_api_key</code>): give the agent the new one.
            </p>
          ) : (
            <p>
              Anything using <code>{shortKey(confirming.key)}</code> is refused at once (
              <code>403 revoked_api_key</code>). This cannot be undone
              {live.length === 1 ? `, and ${visible(agent.name)} will have no working key` : ''}.
            </p>
          )}
        </ConfirmDialog>
      )}
    </div>
  );
}

/** Issue a key: an optional label, then the key is revealed (KeyRevealDialog). */
function IssueKeyDialog({ agent, onClose }: { agent: AgentView; onClose(): void }) {
  const issueKey = useAgents((s) => s.issueKey);
  const busy = useAgents((s) => s.busy === agent.id);
  const [label, setLabel] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const refused = await issueKey(agent.id, label);
    if (refused) setError(refused);
    else onClose();
  };
  return (
    <Dialog title={<>New key for {visible(agent.name)}</>} onClose={onClose}>
      <form onSubmit={(e) => void submit(e)}>
        <p>
          A key lets a program spend as {visible(agent.name)}, within its policy. Purser shows it
          once, right after this.
        </p>
        <div className="form-field">
          <label htmlFor="issue-key-label">Label (optional)</label>
          <input
            id="issue-key-label"
            type="text"
            autoComplete="off"
            maxLength={100}
            placeholder="laptop, CI, …"
            value={label}
            onChange={(e) => setLabel(e.target.value)}
            data-autofocus
          />
        </div>
        {error && (
          <p className="banner error" role="alert">
            {error}
          </p>
        )}
        <DialogActions onCancel={onClose} busy={busy}>
          {busy ? 'Issuing…' : 'Issue key'}
        </DialogActions>
      </form>
    </Dialog>
  );
}

type Copied = 'no' | 'yes' | 'failed';

/**
 * The one time a key is shown. Copy puts it on the clipboard; closing (Done, Escape)
 * drops it from the window's memory, and nothing can show it again.
 */
export function KeyRevealDialog({ reveal, onClose }: { reveal: RevealedKey; onClose(): void }) {
  const [copied, setCopied] = useState<Copied>('no');
  const { key, replaced } = reveal;
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(key.key);
      setCopied('yes');
    } catch {
      setCopied('failed');
    }
  };
  return (
    <Dialog
      title={<>Copy the new key for {visible(reveal.agentName)}</>}
      onClose={onClose}
      className="key-reveal"
      returnFocus={issueButtonOf(reveal.agentId)}
      describedBy="key-reveal-warning"
    >
      <p className="banner warn key-warning" id="key-reveal-warning">
        <strong>This is the only time Purser shows this key.</strong> Copy it now and keep it where
        the agent reads it; Purser keeps only a hash and cannot show it again. Anyone who has it can
        spend as {visible(reveal.agentName)}, within its policy.
      </p>
      <label htmlFor="key-reveal-value">Spending key</label>
      <div className="key-copy">
        <input
          id="key-reveal-value"
          className="key-value"
          type="text"
          readOnly
          spellCheck={false}
          autoComplete="off"
          value={key.key}
          onFocus={(e) => e.currentTarget.select()}
        />
        <button type="button" onClick={() => void copy()} data-autofocus>
          {copied === 'yes' ? 'Copied' : 'Copy'}
        </button>
      </div>
      <p className="key-copy-status" role="status">
        {copied === 'yes' && 'Copied to the clipboard.'}
        {copied === 'failed' && 'Could not copy: select the key above and press Ctrl+C (⌘C).'}
      </p>
      <p className="hint">
        The agent sends it as <code>PURSER_KEY</code>, with{' '}
        <code>PURSER_URL={window.location.origin}</code>.
      </p>
      {replaced && !reveal.revokeFailed && (
        <p className="hint">
          The old key <code>{shortKey(replaced)}</code> is revoked: anything still using it gets{' '}
          <code>403 revoked_api_key</code>.
        </p>
      )}
      {replaced && reveal.revokeFailed && (
        <p className="banner error" role="alert">
          The old key <code>{shortKey(replaced)}</code> could not be revoked and still works:{' '}
          {reveal.revokeFailed}
        </p>
      )}
      <div className="dialog-actions">
        <button type="button" className="secondary" onClick={onClose}>
          Done: I have copied it
        </button>
      </div>
    </Dialog>
  );
}
