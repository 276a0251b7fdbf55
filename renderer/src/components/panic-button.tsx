import { useState } from 'react';
import { Snowflake } from 'lucide-react';
import { useWallet } from '../stores/wallet';

/**
 * Always in the header: one click asks, a second freezes every agent at once. While the
 * wallet is frozen, the banner of wallet-banners.tsx says so and offers to unfreeze.
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
        <Snowflake aria-hidden="true" size={16} className="icon" />
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
