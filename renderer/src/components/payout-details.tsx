import { centsToMicros, formatUsd } from '../../../shared/money';
import type { OwnerSpendView } from '../../../shared/schemas/owner-api';
import { visible } from '../../../shared/text/visible';

export type PayoutView = NonNullable<OwnerSpendView['payout']>;

/**
 * What approving a payout sends, and to whom (docs/payouts.md): the recipient by the name
 * the owner saved it under, its full address (and whether this agent has paid it before, or
 * whether it imitates another saved address), the chain, the token and the amount. The
 * address and everything else the agent sent is escaped.
 */
export function PayoutDetails({ payout }: { payout: PayoutView }) {
  return (
    <section className="x402 payout" aria-label="Payout">
      <dl>
        <dt>Pays to</dt>
        <dd>
          {payout.recipient_name !== null ? (
            <strong>{visible(payout.recipient_name)}</strong>
          ) : (
            <strong>an address not in your address book</strong>
          )}{' '}
          <code className="address">{visible(payout.address)}</code>{' '}
          {payout.paid_before ? (
            <span className="badge known">paid before</span>
          ) : (
            <span className="badge new">first payout</span>
          )}
        </dd>
        {payout.lookalike_of && (
          <>
            <dt>Look-alike</dt>
            <dd role="alert">
              <span className="badge new">looks like {visible(payout.lookalike_of.name)}</span>{' '}
              <code className="address">{visible(payout.lookalike_of.address)}</code>: the same
              first and last characters, another address. Check it before approving.
            </dd>
          </>
        )}
        <dt>Network</dt>
        <dd>
          {visible(payout.chain)} ({visible(payout.network)})
        </dd>
        <dt>Asset</dt>
        <dd>
          USDC <code className="address">{visible(payout.asset)}</code>
        </dd>
        <dt>Amount</dt>
        <dd>
          <strong>{formatUsd(centsToMicros(payout.amount_cents))}</strong>{' '}
          <span className="units">({visible(payout.amount_units)} units)</span>
        </dd>
        <dt>Payout</dt>
        <dd>
          {visible(payout.status.replaceAll('_', ' '))} <code>{visible(payout.payout_id)}</code>
        </dd>
      </dl>
    </section>
  );
}
