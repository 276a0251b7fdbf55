import { visible } from '../../../shared/text/visible';
import { useLedger } from '../stores/ledger';

const count = (n: number) => n.toLocaleString('en-US');

/**
 * "Verify chain": the server walks the whole hash chain (docs/ledger-format.md) while this
 * shows how far it has got, then the result. A verification started elsewhere (the CLI)
 * shows here too.
 */
export function LedgerVerify() {
  const verify = useLedger((s) => s.verify);
  const start = useLedger((s) => s.verifyChain);
  const busy = verify.phase === 'starting' || verify.phase === 'running';
  const result = verify.phase === 'done' ? verify.result : null;

  let text = '';
  if (verify.phase === 'starting') text = 'Starting the verification…';
  else if (verify.phase === 'running')
    text = `Verifying: ${count(verify.checked)} of ${count(verify.total)} entries checked…`;
  else if (result?.ok)
    text = `Chain verified: all ${count(result.entries)} entries are intact${
      verify.finishedAt ? ` (${new Date(verify.finishedAt).toLocaleTimeString()})` : ''
    }.`;

  return (
    <div className="ledger-verify">
      <button type="button" onClick={() => void start()} disabled={busy}>
        {busy ? 'Verifying…' : 'Verify chain'}
      </button>
      {(busy || result?.ok) && (
        <progress
          aria-label="Entries verified"
          max={Math.max(1, verify.total)}
          value={verify.checked}
        />
      )}
      <p role="status" className={result?.ok ? 'verify-text verified' : 'verify-text'}>
        {text}
        {result?.ok && (
          <>
            {' '}
            Head <code className="hash">{result.head_hash}</code>
          </>
        )}
      </p>
      {result && !result.ok && (
        <p role="alert" className="banner error verify-broken">
          Chain BROKEN at entry {result.first_bad?.seq ?? '?'}:{' '}
          {visible(result.first_bad?.message ?? 'unknown problem')} (
          {visible(result.first_bad?.problem ?? '')}). {count(result.entries)} entries before it are
          intact.
        </p>
      )}
      {verify.phase === 'failed' && (
        <p role="alert" className="banner error">
          Could not verify the chain: {verify.error}
        </p>
      )}
    </div>
  );
}
