import type { ChainParts } from '../../chain/chain-parts';
import type { PayoutRepository } from './payout-repository';
import type { RecipientRepository } from './recipient-repository';

/** What the payout rail works with: the chain's parts, its payouts and the address book. */
export type PayoutParts = ChainParts & {
  payouts: PayoutRepository;
  recipients: RecipientRepository;
};
