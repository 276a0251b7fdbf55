import { x402Client, x402HTTPClient } from '@x402/core/client';
import type { PaymentPayload } from '@x402/core/types';
import { deepEqual } from '@x402/core/utils';
import { registerExactEvmScheme } from '@x402/evm/exact/client';
import { UptoEvmScheme } from '@x402/evm/upto/client';
import { getAddress, type PrivateKeyAccount } from 'viem';
import type { ChainConfig } from '../../chain/chain-config';
import { MAX_TIMEOUT_SECONDS } from './x402-requirements';
import type { X402Payment } from './x402-payment-repository';
import { isUpto, permit2NonceHex, uptoProblems } from './x402-upto';

/** Thrown when anything but the reserved payment reaches the signer: a bug, never signed. */
export class SignRefused extends Error {}

interface TypedData {
  domain: Record<string, unknown>;
  primaryType: string;
  message: Record<string, unknown>;
  types: Record<string, unknown>;
}

/**
 * A signer that signs one thing: the reserved payment (an EIP-3009 transfer for `exact`, a
 * Permit2 witness transfer of at most the maximum for `upto`), to its payee, for its amount,
 * in the expected domain. The x402 package builds the message; this is the last check that
 * it is what the policy approved (defence in depth).
 */
export function guardedSigner(
  account: PrivateKeyAccount,
  payment: X402Payment,
  chain: ChainConfig,
) {
  const check = (data: TypedData) => {
    const nowSeconds = Math.floor(Date.now() / 1000);
    const problems = isUpto(payment)
      ? uptoProblems(data, payment, chain, nowSeconds, MAX_TIMEOUT_SECONDS)
      : exactProblems(data, account, payment, chain, nowSeconds);
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

function exactProblems(
  { domain, message, primaryType }: TypedData,
  account: PrivateKeyAccount,
  payment: X402Payment,
  chain: ChainConfig,
  nowSeconds: number,
): string[] {
  return [
    primaryType !== 'TransferWithAuthorization' && 'not a TransferWithAuthorization',
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
  ].filter((x): x is string => typeof x === 'string');
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
  const signer = guardedSigner(account, payment, chain);
  const network = payment.network as `${string}:${string}`;
  if (isUpto(payment)) client.register(network, new UptoEvmScheme(signer));
  else registerExactEvmScheme(client, { signer, networks: [network] });
  client.setSpendControls(false);
  client.onBeforePaymentCreation(async ({ selectedRequirements }) =>
    deepEqual(selectedRequirements, payment.requirement)
      ? undefined
      : { abort: true, reason: 'not the reserved requirement' },
  );
  // Extensions are left out: their signatures (gas-sponsoring approvals) are not the payment,
  // and Purser grants Permit2's allowance itself (x402-upto.ts).
  const payload: PaymentPayload = await client.createPaymentPayload({
    ...payment.paymentRequired,
    accepts: [payment.requirement],
    extensions: undefined,
  });
  const { nonce, validBefore } = authorizationOf(payload);
  const headers = new x402HTTPClient(client).encodePaymentSignatureHeader(payload);
  const headerName = 'PAYMENT-SIGNATURE' in headers ? 'PAYMENT-SIGNATURE' : 'X-PAYMENT';
  const header = headers[headerName];
  if (!header) throw new SignRefused('the x402 client produced no payment header');
  return {
    header,
    headerName,
    nonce,
    validBefore,
  };
}

/** The signed nonce and deadline: EIP-3009's for `exact`, Permit2's for `upto`. */
function authorizationOf(payload: PaymentPayload): { nonce: `0x${string}`; validBefore: number } {
  const body = payload.payload as {
    authorization?: Record<string, string>;
    permit2Authorization?: { nonce?: string; deadline?: string };
  };
  if (body.permit2Authorization?.nonce && body.permit2Authorization.deadline) {
    return {
      nonce: permit2NonceHex(body.permit2Authorization.nonce),
      validBefore: Number(body.permit2Authorization.deadline),
    };
  }
  if (body.authorization?.nonce && body.authorization.validBefore) {
    return {
      nonce: body.authorization.nonce as `0x${string}`,
      validBefore: Number(body.authorization.validBefore),
    };
  }
  throw new SignRefused('the x402 payload carries no authorization');
}
