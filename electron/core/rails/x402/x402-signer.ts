import { x402Client, x402HTTPClient } from '@x402/core/client';
import type { PaymentPayload } from '@x402/core/types';
import { deepEqual } from '@x402/core/utils';
import { registerExactEvmScheme } from '@x402/evm/exact/client';
import { getAddress, type PrivateKeyAccount } from 'viem';
import type { ChainConfig } from '../../chain/chain-config';
import { MAX_TIMEOUT_SECONDS } from './x402-requirements';
import type { X402Payment } from './x402-payment-repository';

/** Thrown when anything but the reserved payment reaches the signer: a bug, never signed. */
export class SignRefused extends Error {}

interface TypedData {
  domain: Record<string, unknown>;
  primaryType: string;
  message: Record<string, unknown>;
  types: Record<string, unknown>;
}

/**
 * A signer that signs one thing: the EIP-3009 transfer that was reserved, to its payee,
 * for its amount, in the configured token's domain. The x402 package builds the message;
 * this is the last check that it is what the policy approved (defence in depth).
 */
export function guardedSigner(
  account: PrivateKeyAccount,
  payment: X402Payment,
  chain: ChainConfig,
) {
  const check = (data: TypedData) => {
    const { domain, message } = data;
    const nowSeconds = Math.floor(Date.now() / 1000);
    const problems = [
      data.primaryType !== 'TransferWithAuthorization' && 'not a TransferWithAuthorization',
      Number(domain.chainId) !== chain.chainId && 'another chain',
      getAddress(String(domain.verifyingContract)) !== getAddress(chain.usdc.address) &&
        'another token',
      (domain.name !== chain.usdc.name || domain.version !== chain.usdc.version) &&
        'another EIP-712 domain',
      getAddress(String(message.from)) !== account.address && 'another payer',
      getAddress(String(message.to)) !== getAddress(payment.payTo) && 'another payee',
      BigInt(String(message.value)) !== payment.units && 'another amount',
      BigInt(String(message.validBefore)) > BigInt(nowSeconds + MAX_TIMEOUT_SECONDS + 5) &&
        'valid for too long',
    ].filter(Boolean);
    if (problems.length > 0) throw new SignRefused(`refused to sign: ${problems.join(', ')}`);
  };
  return {
    address: account.address,
    signTypedData: (data: TypedData) => {
      check(data);
      return account.signTypedData(data as Parameters<PrivateKeyAccount['signTypedData']>[0]);
    },
  };
}

export interface SignedPayment {
  header: string;
  headerName: 'PAYMENT-SIGNATURE' | 'X-PAYMENT';
  nonce: `0x${string}`;
  validBefore: number;
}

/**
 * Signs the reserved payment through @x402/core's client and @x402/evm's exact scheme,
 * with only the reserved requirement on offer. The hook before creation checks that it
 * is exactly that requirement; Purser's own policy replaced the client's spend controls.
 */
export async function signReserved(
  account: PrivateKeyAccount,
  payment: X402Payment,
  chain: ChainConfig,
): Promise<SignedPayment> {
  const client = new x402Client();
  registerExactEvmScheme(client, {
    signer: guardedSigner(account, payment, chain),
    networks: [payment.network as `${string}:${string}`],
  });
  client.setSpendControls(false);
  client.onBeforePaymentCreation(async ({ selectedRequirements }) =>
    deepEqual(selectedRequirements, payment.requirement)
      ? undefined
      : { abort: true, reason: 'not the reserved requirement' },
  );
  const payload: PaymentPayload = await client.createPaymentPayload({
    ...payment.paymentRequired,
    accepts: [payment.requirement],
  });
  const authorization = (payload.payload as { authorization?: Record<string, string> })
    .authorization;
  if (!authorization?.nonce || !authorization.validBefore) {
    throw new SignRefused('the x402 payload carries no EIP-3009 authorization');
  }
  const headers = new x402HTTPClient(client).encodePaymentSignatureHeader(payload);
  const headerName = 'PAYMENT-SIGNATURE' in headers ? 'PAYMENT-SIGNATURE' : 'X-PAYMENT';
  const header = headers[headerName];
  if (!header) throw new SignRefused('the x402 client produced no payment header');
  return {
    header,
    headerName,
    nonce: authorization.nonce as `0x${string}`,
    validBefore: Number(authorization.validBefore),
  };
}
