/**
 * An MPP server for the chain tests: mppx's own server (`Mppx.create` with the `evm` charge
 * method) on 127.0.0.1, charging the test USDC on the Hardhat chain. It settles a credential
 * the way a real one does: it sends the EIP-3009 `transferWithAuthorization` the credential
 * carries, from an account of its own that pays the gas.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { evm, Mppx, NodeListener } from 'mppx/server';
import { createWalletClient, parseSignature, publicActions, type Address, type Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { hardhat } from 'viem/chains';
import { usdcAbi } from '../../electron/core/chain/rpc';
import { localTransport } from './transport';
import { USDC } from './usdc';

export interface MppServer {
  /** The charged route: GET answers 402 with a Payment challenge, or {ok:true} once paid. */
  url: string;
  /** Transactions it sent to settle credentials, in order. */
  settled: Hex[];
  close(): Promise<void>;
}

export async function startMppServer(options: {
  rpcUrl: string;
  usdcAddress: Address;
  payTo: Address;
  /** In dollars, as mppx takes it ("0.25"). */
  amount: string;
  settlerPrivateKey: Hex;
}): Promise<MppServer> {
  const settler = createWalletClient({
    account: privateKeyToAccount(options.settlerPrivateKey),
    chain: hardhat,
    transport: localTransport(options.rpcUrl),
  }).extend(publicActions);
  const settled: Hex[] = [];
  const mppx = Mppx.create({
    realm: '127.0.0.1',
    secretKey: 'purser-test-mpp-secret-key-of-32-bytes-or-more',
    methods: [
      evm.charge({
        currency: options.usdcAddress,
        recipient: options.payTo,
        chainId: hardhat.id,
        decimals: USDC.decimals,
        authorization: { name: USDC.name, version: USDC.version },
        async settle({ payload }) {
          const { v, r, s } = parseSignature(payload.signature as Hex);
          const hash = await settler.writeContract({
            address: options.usdcAddress,
            abi: usdcAbi,
            functionName: 'transferWithAuthorization',
            args: [
              payload.from as Address,
              payload.to as Address,
              BigInt(payload.value),
              BigInt(payload.validAfter),
              BigInt(payload.validBefore),
              payload.nonce as Hex,
              Number(v),
              r,
              s,
            ],
          });
          const receipt = await settler.waitForTransactionReceipt({ hash });
          if (receipt.status !== 'success') throw new Error(`settlement reverted: ${hash}`);
          settled.push(hash);
          return { reference: hash };
        },
      }),
    ],
  });

  let origin = '';
  const toRequest = (req: IncomingMessage) => {
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (typeof value === 'string') headers.set(name, value);
    }
    return new Request(`${origin}${req.url ?? '/'}`, { method: req.method ?? 'GET', headers });
  };
  const server = createServer((req, res) => {
    void (async () => {
      try {
        const result = await mppx.charge({ amount: options.amount })(toRequest(req));
        if (result.status === 402) return NodeListener.sendResponse(res, result.challenge);
        return NodeListener.sendResponse(res, result.withReceipt(Response.json({ ok: true })));
      } catch (error) {
        res.statusCode = 500;
        res.end(String(error));
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `${origin}/paid`,
    settled,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
