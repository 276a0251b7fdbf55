import { useEffect, useState, type FormEvent } from 'react';
import { visible } from '../../../shared/text/visible';
import { useRecipients } from '../stores/recipients';
import { DataTable } from './data-table';
import { DismissableError } from './dismissable-error';

/**
 * The address book agents pay out to (docs/payouts.md): a name and a checksummed address
 * each; a saved address that looks like another saved one is flagged, since that is how
 * address poisoning fools an owner who copies an address from a history.
 */
export function Recipients() {
  const { recipients, error, actionError, busy, load, add, archive, dismiss } = useRecipients();
  const [name, setName] = useState('');
  const [address, setAddress] = useState('');
  useEffect(() => {
    void load();
  }, [load]);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (await add(name, address)) {
      setName('');
      setAddress('');
    }
  };
  return (
    <>
      <h4>Recipients</h4>
      <p className="hint">
        Addresses your agents may pay out to by name. A first payout to an address that is not here
        asks you first.
      </p>
      {error && <p role="alert">{error}</p>}
      {actionError && <DismissableError message={actionError} onDismiss={dismiss} />}
      {recipients.length === 0 ? (
        <p className="empty">No recipients saved yet.</p>
      ) : (
        <DataTable label="Recipients" columns={['Name', 'Address', 'Chains', '']}>
          {recipients.map((r) => (
            <tr key={r.id} data-recipient-id={r.id}>
              <td>
                {visible(r.name)} <code>{r.id}</code>
              </td>
              <td>
                <code className="address">{r.address}</code>
                {r.lookalike_of && (
                  <span className="badge new" role="note">
                    looks like {visible(r.lookalike_of.name)}
                  </span>
                )}
              </td>
              <td>{r.networks.length ? r.networks.join(', ') : 'any'}</td>
              <td>
                <button
                  type="button"
                  disabled={busy === `archive:${r.id}`}
                  aria-label={`Archive ${visible(r.name)}`}
                  onClick={() => void archive(r.id)}
                >
                  Archive
                </button>
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      <form
        className="recipient-form"
        aria-label="Add a recipient"
        onSubmit={(e) => void submit(e)}
      >
        <label>
          Name{' '}
          <input value={name} required maxLength={100} onChange={(e) => setName(e.target.value)} />
        </label>
        <label>
          Address{' '}
          <input
            value={address}
            required
            className="address-input"
            placeholder="0x…"
            spellCheck={false}
            onChange={(e) => setAddress(e.target.value)}
          />
        </label>
        <button type="submit" disabled={busy === 'add'}>
          Add recipient
        </button>
      </form>
    </>
  );
}
