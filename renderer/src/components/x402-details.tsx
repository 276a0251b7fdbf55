import { centsToMicros, formatUsd } from '../../../shared/money';
import type { OwnerSpendView } from '../../../shared/schemas/owner-api';
import { visible } from '../../../shared/text/visible';

export type X402View = NonNullable<OwnerSpendView['x402']>;

/**
 * What approving an x402 (or MPP) payment signs, and to whom: the resource's host, the payee's full
 * address (and whether this agent has paid it before), the network, the token and the
 * amount. Everything here came from the agent or the merchant's 402, so all of it is escaped.
 */
export function X402Details({ x402 }: { x402: X402View }) {
  return (
    <section className="x402" aria-label={`${x402.protocol === 'mpp' ? 'MPP' : 'x402'} payment`}>
      <dl>
        <dt>Resource</dt>
        <dd>
          <strong>{visible(x402.host)}</strong>{' '}
          <span className="x402-url">{visible(x402.resource_url)}</span>
        </dd>
        <dt>Pays to</dt>
        <dd>
          <code className="address">{visible(x402.pay_to)}</code>{' '}
          {x402.paid_before ? (
            <span className="badge known">paid before</span>
          ) : (
            <span className="badge new">new payee</span>
          )}
        </dd>
        <dt>Network</dt>
        <dd>{visible(x402.network)}</dd>
        <dt>Asset</dt>
        <dd>
          <code className="address">{visible(x402.asset)}</code>
        </dd>
        <dt>{x402.scheme === 'upto' ? 'At most' : 'Amount'}</dt>
        <dd>
          {x402.scheme === 'upto' && 'up to '}
          <strong>{formatUsd(centsToMicros(x402.amount_cents))}</strong>{' '}
          <span className="units">({visible(x402.amount_units)} units)</span>
          {x402.scheme === 'upto' && (
            <span className="units"> — the merchant charges what is used</span>
          )}
        </dd>
        <dt>Payment</dt>
        <dd>
          {visible(x402.status.replaceAll('_', ' '))} <code>{visible(x402.payment_id)}</code>
        </dd>
      </dl>
    </section>
  );
}
