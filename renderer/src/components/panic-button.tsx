import { useState } from 'react';
import { useWallet } from '../stores/wallet';

/**
 * Always in the header: one click asks, a second freezes every agent at once. While the
 * wallet is frozen, a banner says so and offers to unfreeze.
 */
export function PanicButton() {
  const frozen = useWallet((s) => s.settings?.frozen ?? false);
  const busy = useWallet((s) => s.busy);
  const freeze = useWallet((s) => s.freeze);
  const [asking, setAsking] = useState(false);
  if (frozen) return null;
  if (!asking) {
    return (
      <button type="button" className="panic" onClick={() => setAsking(true)}>
        Panic: freeze all
      </button>
    );
  }
  return (
    <span className="panic-confirm" role="group" aria-label="Confirm freezing every agent">
      Freeze every agent now?{' '}
      <button
        type="button"
        className="panic"
        disabled={busy}
        autoFocus
        onClick={() => void freeze().then(() => setAsking(false))}
      >
        Freeze all
      </button>{' '}
      <button type="button" onClick={() => setAsking(false)}>
        Cancel
      </button>
    </span>
  );
}

export function WalletBanners() {
  const frozen = useWallet((s) => s.settings?.frozen ?? false);
  const connection = useWallet((s) => s.connection);
  const error = useWallet((s) => s.error);
  const busy = useWallet((s) => s.busy);
  const { unfreeze, dismiss } = useWallet.getState();
  return (
    <>
      {connection === 'lost' && (
        <p className="banner warn" role="status">
          Purser is not reachable; reconnecting… (is `purser serve` or the desktop app still
          running?)
        </p>
      )}
      {frozen && (
        <p className="banner frozen" role="status">
          All spending is frozen: every agent&apos;s request is declined.{' '}
          <button type="button" disabled={busy} onClick={() => void unfreeze()}>
            Unfreeze
          </button>
        </p>
      )}
      {error && (
        <p className="banner error" role="alert">
          {error}{' '}
          <button type="button" onClick={dismiss}>
            Dismiss
          </button>
        </p>
      )}
    </>
  );
}
