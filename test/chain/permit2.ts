import { createTestClient, getAddress } from 'viem';
import { hardhat } from 'viem/chains';
import { compiledContract } from './compile';
import { localTransport } from './transport';

/** Permit2's canonical address: where @x402/evm's `upto` scheme expects it. */
export const PERMIT2_ADDRESS = getAddress('0x000000000022D473030F116dDEE9F6B43aC78BA3');
/** x402's upto settlement proxy, at the address @x402/evm names. */
export const UPTO_PROXY_ADDRESS = getAddress('0x4020A4f3b7b90ccA423B9fabCc0CE57C6C240002');

/**
 * Places the test chain's Permit2 (signature transfers) and x402's upto proxy at their
 * canonical addresses (hardhat_setCode), as real chains have them. Both are written for the
 * tests from their published interfaces (test/chain/contracts): no installable package
 * carries their bytecode.
 */
export async function installPermit2(rpcUrl: string): Promise<void> {
  const client = createTestClient({
    mode: 'hardhat',
    chain: hardhat,
    transport: localTransport(rpcUrl),
  });
  await client.setCode({
    address: PERMIT2_ADDRESS,
    bytecode: compiledContract('Permit2Lite').deployedBytecode,
  });
  await client.setCode({
    address: UPTO_PROXY_ADDRESS,
    bytecode: compiledContract('X402UptoProxy').deployedBytecode,
  });
}
