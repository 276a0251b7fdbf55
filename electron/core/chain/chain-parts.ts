import type { AccountRepository } from './account-repository';
import type { ChainRepository } from './chain-repository';
import type { RpcPool } from './rpc';
import type { Sealer } from './sealer';
import type { TransferRepository } from './transfer-repository';
import type { AllowanceRepository } from './allowance-repository';

/** What the chain services and the rails share: the EVM stores, the RPC clients and the sealer. */
export interface ChainParts {
  chains: ChainRepository;
  accounts: AccountRepository;
  transfers: TransferRepository;
  allowances: AllowanceRepository;
  rpc: RpcPool;
  /** The sealer, once the keys are unlocked (a passphrase, or the desktop's safe storage). */
  sealer(): Sealer | undefined;
}
