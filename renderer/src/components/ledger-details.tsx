import { useLedger } from '../stores/ledger';
import { visible } from '../../../shared/text/visible';
import { amountText, when } from './ledger-table';
import { SettleForLess } from './settle-for-less';

/** A value from an entry's `data`: text made visible, anything else as compact JSON. */
function dataValue(value: unknown): string {
  if (typeof value === 'string') return visible(value);
  return visible(JSON.stringify(value) ?? String(value));
}

/** The entry picked in the table, every column of it, `data` and the hashes included. */
export function LedgerDetails({ nameOf }: { nameOf(agentId: string | null): string }) {
  const entry = useLedger((s) => s.selected);
  const select = useLedger((s) => s.select);
  if (!entry) return null;
  const text = (v: string | null) => (v === null ? '—' : visible(v));
  const data = Object.entries(entry.data);
  return (
    <section className="ledger-details card" aria-labelledby="ledger-details-title">
      <header>
        <h3 id="ledger-details-title">Entry #{entry.seq}</h3>
        <button type="button" className="secondary" onClick={() => select(null)}>
          Close
        </button>
      </header>
      <dl className="settings">
        <dt>Time</dt>
        <dd>
          {when(entry.ts)} <code>{entry.ts}</code>
        </dd>
        <dt>Kind</dt>
        <dd>{text(entry.type)}</dd>
        <dt>Actor</dt>
        <dd>{text(entry.actor)}</dd>
        <dt>Mode</dt>
        <dd>{text(entry.mode)}</dd>
        <dt>Agent</dt>
        <dd>
          {entry.agent_id === null ? (
            '—'
          ) : (
            <>
              {nameOf(entry.agent_id)} <code>{visible(entry.agent_id)}</code>
            </>
          )}
        </dd>
        <dt>Object</dt>
        <dd>{entry.object_id === null ? '—' : <code>{visible(entry.object_id)}</code>}</dd>
        <dt>Amount</dt>
        <dd className="money">{amountText(entry.amount_micros)}</dd>
        <dt>Counted</dt>
        <dd className="money">{amountText(entry.counted_micros)}</dd>
        <dt>Status</dt>
        <dd>{text(entry.status)}</dd>
        <dt>Merchant</dt>
        <dd>{text(entry.merchant)}</dd>
        <dt>Rail</dt>
        <dd>{text(entry.rail)}</dd>
        <dt>Data</dt>
        <dd>
          {data.length === 0 ? (
            '—'
          ) : (
            <dl className="ledger-data">
              {data.map(([key, value]) => (
                <div key={key}>
                  <dt>{visible(key)}</dt>
                  <dd>{dataValue(value)}</dd>
                </div>
              ))}
            </dl>
          )}
        </dd>
        {entry.type === 'spend.approved' && entry.object_id?.startsWith('req_') && (
          <>
            <dt>Refund</dt>
            <dd>
              <SettleForLess requestId={entry.object_id} />
            </dd>
          </>
        )}
        <dt>Previous hash</dt>
        <dd>
          <code className="hash">{entry.prev_hash}</code>
        </dd>
        <dt>Hash</dt>
        <dd>
          <code className="hash">{entry.hash}</code>
        </dd>
      </dl>
    </section>
  );
}
