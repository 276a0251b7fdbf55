/**
 * Time on the local chain. An x402 authorization lapses when the chain's clock passes its
 * validBefore (docs/chain.md), so the chain test moves the Hardhat node's clock forward.
 * That offset stays with the node for the rest of the file, and every later signature
 * would be born expired (the x402 client and the facilitator read `Date.now()` in this
 * process), so this process's `Date.now` is moved forward by the same amount: Purser's
 * signer, the paywall's facilitator and the chain then agree on what time it is. Purser's
 * own clock (the ManualClock) is separate and moved by the workload's `advance` steps.
 */
import { createTestClient } from 'viem';
import { localTransport } from '../chain/transport';

const realNow = Date.now.bind(Date);
let offsetMs = 0;

/** Moves the chain's clock and this process's Date.now by `seconds`, and mines a block. */
export async function moveChainTime(rpcUrl: string, seconds: number): Promise<void> {
  const test = createTestClient({ mode: 'hardhat', transport: localTransport(rpcUrl) });
  await test.increaseTime({ seconds });
  await test.mine({ blocks: 1 });
  offsetMs += seconds * 1000;
  Date.now = () => realNow() + offsetMs;
}

/** Puts Date.now back (after the file's last test). */
export function restoreDateNow(): void {
  Date.now = realNow;
}
