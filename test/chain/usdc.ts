import {
  createPublicClient,
  createWalletClient,
  erc20Abi,
  getAddress,
  parseAbi,
  type Abi,
  type Address,
  type Hex,
} from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { hardhat } from 'viem/chains';
import { compiledContract } from './compile';
import { localTransport } from './transport';

/** The EIP-712 domain and decimals of the USDC x402 expects (as on Base Sepolia). */
export const USDC = { name: 'USDC', symbol: 'USDC', version: '2', decimals: 6 } as const;

export interface TokenOptions {
  /** ERC-20 name and EIP-712 domain name (one value, as on USDC). */
  name: string;
  symbol: string;
  /** EIP-712 domain version. */
  version: string;
  decimals: number;
}

export interface DeployedToken extends TokenOptions {
  address: Address;
  abi: Abi;
  /** Mints `amountUnits` atomic units (10^-decimals) and waits for the receipt. */
  mint(to: Address, amountUnits: bigint): Promise<Hex>;
  balanceOf(owner: Address): Promise<bigint>;
}

const mintAbi = parseAbi(['function mint(address to, uint256 amount)']);

/** Deploys a TestUSDC with the given EIP-712 domain and decimals, from `deployerPrivateKey`. */
export async function deployTestToken(
  rpcUrl: string,
  deployerPrivateKey: Hex,
  options: TokenOptions,
): Promise<DeployedToken> {
  const { abi, bytecode } = compiledContract('TestUSDC');
  const account = privateKeyToAccount(deployerPrivateKey);
  const transport = localTransport(rpcUrl);
  const wallet = createWalletClient({ account, chain: hardhat, transport });
  const chain = createPublicClient({ chain: hardhat, transport });

  const hash = await wallet.deployContract({
    abi,
    bytecode,
    args: [options.name, options.symbol, options.version, options.decimals],
  });
  const receipt = await chain.waitForTransactionReceipt({ hash });
  if (receipt.status !== 'success' || !receipt.contractAddress) {
    throw new Error(`TestUSDC deployment failed: ${hash}`);
  }
  const address = getAddress(receipt.contractAddress);

  return {
    ...options,
    address,
    abi,
    async mint(to, amountUnits) {
      const tx = await wallet.writeContract({
        address,
        abi: mintAbi,
        functionName: 'mint',
        args: [to, amountUnits],
      });
      const minted = await chain.waitForTransactionReceipt({ hash: tx });
      if (minted.status !== 'success') throw new Error(`mint failed: ${tx}`);
      return tx;
    },
    balanceOf: (owner) =>
      chain.readContract({ address, abi: erc20Abi, functionName: 'balanceOf', args: [owner] }),
  };
}

/** The USDC look-alike x402 pays with: EIP-712 name "USDC", version "2", 6 decimals. */
export function deployUsdc(rpcUrl: string, deployerPrivateKey: Hex): Promise<DeployedToken> {
  return deployTestToken(rpcUrl, deployerPrivateKey, USDC);
}
