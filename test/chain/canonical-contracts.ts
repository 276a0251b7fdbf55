import { createTestClient, getAddress, type Address } from 'viem';
import { hardhat } from 'viem/chains';
import { compiledContract, type ContractName } from './compile';
import { localTransport } from './transport';

/** Where Multicall3 lives on real chains, and where x402's facilitator looks for it. */
export const MULTICALL3_ADDRESS = getAddress('0xcA11bde05977b3631167028862bE2a173976CA11');
/** Permit2's canonical address: where @x402/evm's `upto` scheme expects it. */
export const PERMIT2_ADDRESS = getAddress('0x000000000022D473030F116dDEE9F6B43aC78BA3');
/** x402's upto settlement proxy, at the address @x402/evm names. */
export const UPTO_PROXY_ADDRESS = getAddress('0x4020A4f3b7b90ccA423B9fabCc0CE57C6C240002');

/**
 * Contracts real chains have at fixed addresses and Hardhat does not, placed there with
 * hardhat_setCode (test/chain/contracts):
 * - Multicall3: x402's facilitator batches its failure diagnostics through it, so an
 *   unpayable authorization comes back as e.g. invalid_exact_evm_insufficient_balance
 *   instead of a bare simulation failure.
 * - Permit2 (its signature transfers) and x402's upto proxy, which `upto` settles through.
 *   Both are written for the tests from their published interfaces: no installable
 *   package carries their bytecode.
 */
const CANONICAL: readonly [Address, ContractName][] = [
  [MULTICALL3_ADDRESS, 'Multicall3'],
  [PERMIT2_ADDRESS, 'Permit2Lite'],
  [UPTO_PROXY_ADDRESS, 'X402UptoProxy'],
];

export async function installCanonicalContracts(rpcUrl: string): Promise<void> {
  const client = createTestClient({
    mode: 'hardhat',
    chain: hardhat,
    transport: localTransport(rpcUrl),
  });
  for (const [address, name] of CANONICAL) {
    await client.setCode({ address, bytecode: compiledContract(name).deployedBytecode });
  }
}
