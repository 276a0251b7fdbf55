import type { AddressInfo } from 'node:net';
import express from 'express';
import { x402Facilitator } from '@x402/core/facilitator';
import { x402ResourceServer, type FacilitatorClient } from '@x402/core/server';
import type { Network, SettleResponse } from '@x402/core/types';
import { convertToTokenAmount, numberToDecimalString } from '@x402/core/utils';
import { toFacilitatorEvmSigner } from '@x402/evm';
import { ExactEvmScheme as ExactEvmFacilitatorScheme } from '@x402/evm/exact/facilitator';
import { ExactEvmScheme as ExactEvmServerScheme } from '@x402/evm/exact/server';
import { UptoEvmScheme as UptoEvmFacilitatorScheme } from '@x402/evm/upto/facilitator';
import { UptoEvmScheme as UptoEvmServerScheme } from '@x402/evm/upto/server';
import { paymentMiddleware, setSettlementOverrides } from '@x402/express';
import { createWalletClient, publicActions, type Address, type Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { hardhat } from 'viem/chains';
import { createNonceManager, jsonRpc } from 'viem/nonce';
import { localTransport } from './transport';
import { USDC } from './usdc';

export const HARDHAT_NETWORK = 'eip155:31337' satisfies Network;

export interface PaywallOptions {
  rpcUrl: string;
  usdcAddress: Address;
  payTo: Address;
  /** Atomic token units (10_000n is $0.01 of 6-decimal USDC), or money such as '$0.01'. */
  price: bigint | string;
  /** Pays the gas of transferWithAuthorization; any funded hardhat account. */
  facilitatorPrivateKey: Hex;
  network?: typeof HARDHAT_NETWORK;
  /** The token's EIP-712 domain and decimals; defaults to USDC's ("USDC", "2", 6). */
  token?: { name: string; version: string; decimals: number };
  /** Path of the paywalled GET route; defaults to '/paid'. */
  path?: string;
  /**
   * x402 `upto`: `price` is the maximum the client signs for, and each paid request settles
   * `charge` units (what was "used"), through Permit2 and the upto proxy.
   */
  upto?: { charge: bigint };
}

export interface Paywall {
  /** Full URL of the paywalled route: GET answers 402, or {ok:true} once paid. */
  url: string;
  origin: string;
  /** Payments settled on chain, in order. */
  paidCount(): number;
  settlements(): readonly SettleResponse[];
  stop(): Promise<void>;
}

/**
 * An x402 v2 resource server (the @x402/express middleware on express 5) with its facilitator
 * in this process: verify and settle call x402Facilitator directly, and settlement submits
 * transferWithAuthorization to the hardhat chain. Listens on 127.0.0.1 only.
 */
export async function startPaywall(options: PaywallOptions): Promise<Paywall> {
  const network = options.network ?? HARDHAT_NETWORK;
  const token = options.token ?? USDC;
  const path = options.path ?? '/paid';

  // The facilitator's wallet: a viem wallet client that can also read (publicActions). A nonce
  // manager keeps concurrent settlements from reusing a nonce; its own, not viem's shared
  // `nonceManager`, which remembers nonces per address and chain id across nodes and would
  // hand a fresh node (same key, same 31337) a nonce from the last one.
  const account = privateKeyToAccount(options.facilitatorPrivateKey, {
    nonceManager: createNonceManager({ source: jsonRpc() }),
  });
  const wallet = createWalletClient({
    account,
    chain: hardhat,
    transport: localTransport(options.rpcUrl),
  }).extend(publicActions);
  // viem's parameter types are stricter unions than x402's FacilitatorEvmSigner (the client
  // itself does not type-check against it), so each method is passed through with a cast.
  const signer = toFacilitatorEvmSigner({
    address: account.address,
    getCode: (args) => wallet.getCode(args),
    readContract: (args) => wallet.readContract(args as Parameters<typeof wallet.readContract>[0]),
    verifyTypedData: (args) =>
      wallet.verifyTypedData(args as Parameters<typeof wallet.verifyTypedData>[0]),
    writeContract: (args) =>
      wallet.writeContract(args as Parameters<typeof wallet.writeContract>[0]),
    sendTransaction: (args) => wallet.sendTransaction(args),
    waitForTransactionReceipt: (args) => wallet.waitForTransactionReceipt(args),
  });
  const facilitator = new x402Facilitator()
    .register(network, new ExactEvmFacilitatorScheme(signer))
    .register(network, new UptoEvmFacilitatorScheme(signer));
  // x402ResourceServer takes a FacilitatorClient (verify, settle, getSupported); the local
  // facilitator has the same methods, only getSupported is synchronous and types its
  // networks as plain strings.
  const facilitatorClient: FacilitatorClient = {
    verify: (payload, requirements) => facilitator.verify(payload, requirements),
    settle: (payload, requirements) => facilitator.settle(payload, requirements),
    getSupported: async () => {
      const supported = facilitator.getSupported();
      return {
        ...supported,
        kinds: supported.kinds.map((kind) => ({ ...kind, network: kind.network as Network })),
      };
    },
  };

  // Chain 31337 and this token are not in x402's default asset table. An atomic price names
  // the asset and its EIP-712 domain itself; a money price goes through this parser.
  const extra = { name: token.name, version: token.version };
  const serverScheme = new ExactEvmServerScheme().registerMoneyParser(async (amount, net) =>
    net === network
      ? {
          amount: convertToTokenAmount(
            typeof amount === 'number' ? numberToDecimalString(amount) : amount,
            token.decimals,
          ),
          asset: options.usdcAddress,
          extra,
        }
      : null,
  );
  const price =
    typeof options.price === 'bigint'
      ? { amount: options.price.toString(), asset: options.usdcAddress, extra }
      : options.price;

  const settled: SettleResponse[] = [];
  const resourceServer = new x402ResourceServer(facilitatorClient)
    .register(network, serverScheme)
    .register(network, new UptoEvmServerScheme())
    .onAfterSettle(async ({ result }) => {
      if (result.success) settled.push(structuredClone(result) as SettleResponse);
    });

  const app = express();
  app.use(
    paymentMiddleware(
      {
        [`GET ${path}`]: {
          accepts: {
            scheme: options.upto ? 'upto' : 'exact',
            network,
            payTo: options.payTo,
            price,
          },
          description: 'Purser chain test paywall',
          mimeType: 'application/json',
        },
      },
      resourceServer,
    ),
  );
  app.get(path, (_req, res) => {
    if (options.upto) setSettlementOverrides(res, { amount: options.upto.charge.toString() });
    res.json({ ok: true });
  });

  const server = await new Promise<ReturnType<typeof app.listen>>((resolve, reject) => {
    const listening = app.listen(0, '127.0.0.1', (error?: Error) =>
      error ? reject(error) : resolve(listening),
    );
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;

  return {
    url: `${origin}${path}`,
    origin,
    paidCount: () => settled.length,
    settlements: () => settled,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // fetch keeps connections alive; close would otherwise wait for them to idle out.
        server.closeAllConnections();
      }),
  };
}
