/**
 * A ledger entry in words, as the Overview's "latest activity" lists it. Agent names and
 * merchants are agent-supplied text: shown through `visible()`, never interpreted. A kind
 * without words of its own is named by its ledger type (docs/ledger-format.md).
 */
import { formatUsd, microsFromString } from '../../../shared/money';
import { visible } from '../../../shared/text/visible';
import type { OverviewAnswer } from '../stores/overview';

export type ActivityEntry = OverviewAnswer['activity'][number];

const STATUS_WORDS: Record<string, string> = {
  paused: 'was paused',
  active: 'was resumed',
  revoked: 'was revoked',
};

export function activityText(e: ActivityEntry): string {
  const who = e.agent_name === null ? 'Purser' : visible(e.agent_name);
  const amount = e.amount_micros === null ? '' : formatUsd(microsFromString(e.amount_micros));
  const at = e.merchant === null ? '' : ` at ${visible(e.merchant)}`;
  switch (e.type) {
    case 'spend.approved':
      return `${who} spent ${amount}${at}`;
    case 'spend.needs_approval':
      return `${who} asks to spend ${amount}${at}`;
    case 'spend.declined':
      return `${who} was declined ${amount}${at}`;
    case 'spend.refused':
      return `${who} was refused ${amount}${at} (a hard limit)`;
    case 'spend.expired':
      return `${who}’s request for ${amount}${at} expired`;
    case 'spend.cancelled':
      return `${who} withdrew its request for ${amount}${at}`;
    case 'budget_request.created':
      return `${who} asks for a budget of ${amount}`;
    case 'budget_request.approved':
      return `${who} was granted a budget of ${amount}`;
    case 'budget_request.rejected':
      return `${who}’s budget request was rejected`;
    case 'receipt.recorded':
      return `${who} reported paying ${amount}${at}${e.rail === null ? '' : ` (${visible(e.rail)})`}`;
    case 'agent.created':
      return `Agent ${who} was created`;
    case 'agent.status_changed':
      return `${who} ${STATUS_WORDS[e.status ?? ''] ?? `is now ${visible(e.status ?? '')}`}`;
    case 'policy.updated':
      return `${who}’s policy was changed`;
    case 'key.issued':
      return `A key was issued to ${who}`;
    case 'key.revoked':
      return `A key of ${who} was revoked`;
    case 'funding.deposit':
      return `${amount} was deposited`;
    case 'settings.updated':
      return 'The workspace settings were changed';
    case 'wallet.frozen':
      return 'Every agent was frozen';
    case 'wallet.unfrozen':
      return 'The freeze was lifted';
    case 'budget.alert':
      return `${who} has used ${visible(e.status ?? '')} of its budget`;
    case 'chain.transfer_unmatched':
      return `An on-chain transfer of ${amount} matched no approved request`;
    default: {
      const parts = [visible(e.type), e.agent_name === null ? '' : who, amount].filter(Boolean);
      return parts.join(' · ') + at;
    }
  }
}
