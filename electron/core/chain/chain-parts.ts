import type { AccountStore } from './accounts';
import type { ChainStore } from './chain-config';
import type { RpcPool } from './rpc';
import type { Sealer } from './sealer';
import type { TransferStore } from './transfers';
import type { AllowanceStore } from './allowance-store';
import type { X402Store } from './x402-payments';

/** What the chain services share: their stores, the RPC clients and the sealer. */
export interface ChainParts {
  chains: ChainStore;
  accounts: AccountStore;
  payments: X402Store;
  transfers: TransferStore;
  allowances: AllowanceStore;
  rpc: RpcPool;
  /** The sealer, once the keys are unlocked (a passphrase, or the desktop's safe storage). */
  sealer(): Sealer | undefined;
}
