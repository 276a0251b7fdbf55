import type { ChainConfig } from '../../../electron/core/chain/chain-config';

/** The local chain as the unit tests configure it: no node behind it (the RPC port is 1). */
export const LOCAL_CHAIN: ChainConfig = {
  id: 'local',
  chainId: 31337,
  rpcUrl: 'http://127.0.0.1:1/',
  usdc: {
    address: '0x5FbDB2315678afecb367f032d93F642f64180aa3',
    decimals: 6,
    name: 'USDC',
    version: '2',
  },
  syncedBlock: null,
};
