import type { Policy } from './policy';
import type { Verdict } from './decide';

/** A payout's recipient, as step 6 judges it. */
export interface Payee {
  /** Checksummed. */
  address: string;
  /** How the owner knows it: the address book's name, or the address itself. */
  label: string;
  /** This agent has never paid it, and the owner has not saved it. */
  isNew: boolean;
  /** A saved recipient whose address this unsaved one imitates (same ends, other middle). */
  lookalikeOf: { name: string; address: string } | null;
}

/**
 * Step 6 for a payout (docs/payouts.md): the recipient's address against the agent's lists.
 * An address that imitates a saved recipient's, or that this agent has never paid, asks
 * the owner whatever steps 7–15 say (as a merchant look-alike does): a first payout is
 * never approved silently unless the owner turned that off.
 */
export function checkRecipient(payee: Payee, policy: Policy): Verdict | null {
  if (policy.denyRecipients.includes(payee.address)) {
    return {
      outcome: 'declined',
      rule: 'recipient_denied',
      reason: `Recipient ${payee.label} is on this agent's recipient deny-list`,
    };
  }
  if (policy.allowRecipients.length > 0 && !policy.allowRecipients.includes(payee.address)) {
    return {
      outcome: 'declined',
      rule: 'recipient_not_allowed',
      reason: `Recipient ${payee.label} is not on this agent's recipient allow-list`,
    };
  }
  if (payee.lookalikeOf) {
    return {
      outcome: 'needs_approval',
      rule: 'recipient_lookalike',
      reason: `Recipient ${payee.address} looks like saved recipient "${payee.lookalikeOf.name}" (${payee.lookalikeOf.address}) but is another address`,
    };
  }
  if (payee.isNew && policy.askOnNewRecipient) {
    return {
      outcome: 'needs_approval',
      rule: 'new_recipient',
      reason: `First payout to ${payee.label} needs approval`,
    };
  }
  return null;
}
