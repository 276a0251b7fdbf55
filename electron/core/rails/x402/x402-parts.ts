import type { ChainParts } from '../../chain/chain-parts';
import type { X402PaymentRepository } from './x402-payment-repository';

/** What the x402 rail works with: the chain's parts, and its own payments. */
export type X402Parts = ChainParts & { payments: X402PaymentRepository };
