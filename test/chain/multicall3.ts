import { createTestClient, getAddress } from 'viem';
import { hardhat } from 'viem/chains';
import { compiledContract } from './compile';
import { localTransport } from './transport';

/** Where Multicall3 lives on real chains, and where x402's facilitator looks for it. */
export const MULTICALL3_ADDRESS = getAddress('0xcA11bde05977b3631167028862bE2a173976CA11');

/**
 * Places Multicall3's runtime code at its canonical address (hardhat_setCode). x402's
 * facilitator batches its failure diagnostics through it: with it, an unpayable authorization
 * comes back as e.g. invalid_exact_evm_insufficient_balance instead of a bare
 * invalid_exact_evm_transaction_simulation_failed.
 */
export async function installMulticall3(rpcUrl: string): Promise<void> {
  const client = createTestClient({
    mode: 'hardhat',
    chain: hardhat,
    transport: localTransport(rpcUrl),
  });
  await client.setCode({
    address: MULTICALL3_ADDRESS,
    bytecode: compiledContract('Multicall3').deployedBytecode,
  });
}
