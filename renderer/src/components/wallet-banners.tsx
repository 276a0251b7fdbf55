import { useWallet } from '../stores/wallet';
import { DismissableError } from './dismissable-error';

/** Under the header: Purser out of reach, the freeze (with unfreeze), a refused action. */
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
      {error && <DismissableError message={error} onDismiss={dismiss} />}
    </>
  );
}
