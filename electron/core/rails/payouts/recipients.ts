import { getAddress, isAddress } from 'viem';
import { invalidRequest, invalidTransition, notFound } from '../../errors';
import { newId } from '../../ids';
import type { WalletDeps, WriterDeps } from '../../wallet-deps';
import type { Address } from '../../chain/chain-config';
import type { Recipient } from './recipient-repository';

export type RecipientDeps = Pick<WalletDeps, WriterDeps | 'recipients' | 'chains'>;

/**
 * A saved recipient whose address `address` imitates: the same first four and last four
 * hex digits, another middle. That is how address poisoning works (a dust transfer from a
 * look-alike lands in the history, and the victim copies it), so a payout to such an
 * address is never approved silently and the window flags it (docs/payouts.md).
 */
export function lookalikeOf(
  address: Address,
  saved: readonly Pick<Recipient, 'name' | 'address'>[],
): Pick<Recipient, 'name' | 'address'> | undefined {
  const a = address.toLowerCase();
  return saved.find((r) => {
    const b = r.address.toLowerCase();
    return b !== a && b.slice(2, 6) === a.slice(2, 6) && b.slice(-4) === a.slice(-4);
  });
}

/** An address as the owner or an agent typed it, checksummed; a clear error otherwise. */
export function parseAddress(text: string, field: string): Address {
  const trimmed = text.trim();
  if (!isAddress(trimmed, { strict: false })) {
    throw invalidRequest(`${field} must be an address: 0x and 40 hex digits.`, { field });
  }
  // A mixed-case address must carry a valid checksum: a typo in it is caught here.
  if (trimmed !== trimmed.toLowerCase() && trimmed.slice(2) !== trimmed.slice(2).toUpperCase()) {
    if (!isAddress(trimmed, { strict: true })) {
      throw invalidRequest(
        `${field} has mixed case but its checksum is wrong: check it for a typo (EIP-55).`,
        { field },
      );
    }
  }
  return getAddress(trimmed);
}

export interface RecipientInput {
  name: string;
  address: string;
  networks?: string[];
}

/** The owner's address book (window, CLI, owner API; docs/payouts.md). */
export class RecipientService {
  constructor(private readonly d: RecipientDeps) {}

  list(): (Recipient & { lookalikeOf: Pick<Recipient, 'name' | 'address'> | null })[] {
    const all = this.d.recipients.list();
    return all.map((r) => ({ ...r, lookalikeOf: lookalikeOf(r.address, all) ?? null }));
  }

  get(id: string): Recipient {
    const found = this.d.recipients.get(id);
    if (!found) throw notFound('recipient', id);
    return found;
  }

  add(input: RecipientInput): Promise<Recipient> {
    const address = parseAddress(input.address, 'address');
    const networks = this.networks(input.networks ?? []);
    return this.d.committer.run(() => {
      const { d } = this;
      const existing = d.recipients.ofAddress(address);
      if (existing) {
        throw invalidTransition(
          `${address} is already saved as "${existing.name}" (${existing.id}).`,
          {
            recipient_id: existing.id,
          },
        );
      }
      const now = d.clock.now();
      const recipient = { id: newId('recipient'), name: input.name.trim(), address, networks };
      d.recipients.insert({ ...recipient, createdAt: now });
      const lookalike = lookalikeOf(address, d.recipients.list());
      d.ledger.append(
        {
          type: 'recipient.added',
          actor: 'owner',
          objectId: recipient.id,
          data: {
            name: recipient.name,
            address,
            networks,
            lookalike_of: lookalike ? { name: lookalike.name, address: lookalike.address } : null,
          },
        },
        now,
      );
      return d.recipients.get(recipient.id) as Recipient;
    });
  }

  update(id: string, input: { name?: string; networks?: string[] }): Promise<Recipient> {
    const networks = input.networks === undefined ? undefined : this.networks(input.networks);
    return this.d.committer.run(() => {
      const { d } = this;
      const current = this.get(id);
      if (current.archivedAt !== null) throw notFound('recipient', id);
      const name = input.name?.trim() ?? current.name;
      d.recipients.update(id, name, networks ?? current.networks);
      d.ledger.append(
        {
          type: 'recipient.updated',
          actor: 'owner',
          objectId: id,
          data: { name, networks: networks ?? current.networks, was: current.name },
        },
        d.clock.now(),
      );
      return d.recipients.get(id) as Recipient;
    });
  }

  archive(id: string): Promise<Recipient> {
    return this.d.committer.run(() => {
      const { d } = this;
      const current = this.get(id);
      const now = d.clock.now();
      if (d.recipients.archive(id, now)) {
        d.ledger.append(
          {
            type: 'recipient.archived',
            actor: 'owner',
            objectId: id,
            data: { name: current.name, address: current.address },
          },
          now,
        );
      }
      return d.recipients.get(id) as Recipient;
    });
  }

  /** Chain names, each one configured; an empty list means every configured chain. */
  private networks(names: string[]): string[] {
    const known = new Set<string>(this.d.chains.list().map((c) => c.id));
    for (const name of names) {
      if (!known.has(name)) {
        throw invalidRequest(
          `networks: ${JSON.stringify(name)} is not a configured chain (${[...known].join(', ') || 'none yet'}).`,
          { field: 'networks' },
        );
      }
    }
    return [...new Set(names)];
  }
}
