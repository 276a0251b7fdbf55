import { Challenge } from 'mppx';
import { charge } from 'mppx/evm/client';
import { getAddress, type PrivateKeyAccount } from 'viem';
import type { ChainConfig } from '../../chain/chain-config';
import { SignRefused } from '../x402/x402-signer';
import type { X402Payment } from '../x402/x402-payment-repository';

interface TypedData {
  domain: Record<string, unknown>;
  primaryType: string;
  message: Record<string, unknown>;
  types: Record<string, unknown>;
}

/**
 * An account that signs one thing: the EIP-3009 transfer that was reserved for this MPP
 * payment, to its recipient, for its amount, in the configured token's domain, with the
 * challenge's nonce, valid no longer than reserved. mppx builds the message; this is the
 * last check that it is what the policy approved (defence in depth, as for x402).
 */
function guardedAccount(account: PrivateKeyAccount, payment: X402Payment, chain: ChainConfig) {
  const check = (data: TypedData) => {
    const { domain, message } = data;
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
      String(message.nonce).toLowerCase() !== payment.nonce && 'another nonce',
      BigInt(String(message.validBefore)) > BigInt(payment.validBefore ?? 0) &&
        'valid for longer than reserved',
    ].filter(Boolean);
    if (problems.length > 0) throw new SignRefused(`refused to sign: ${problems.join(', ')}`);
  };
  return {
    ...account,
    signTypedData: (data: TypedData) => {
      check(data);
      return account.signTypedData(data as Parameters<PrivateKeyAccount['signTypedData']>[0]);
    },
  } as PrivateKeyAccount;
}

/**
 * The `Authorization: Payment …` credential for the reserved challenge, made by mppx's
 * `evm` charge method with the guarded account (docs/mpp.md).
 */
export async function signReservedChallenge(
  account: PrivateKeyAccount,
  payment: X402Payment & { nonce: `0x${string}`; validBefore: number },
  chain: ChainConfig,
): Promise<string> {
  const challenge = Challenge.Schema.parse(payment.requirement) as Challenge.Challenge;
  const method = charge({
    account: guardedAccount(account, payment, chain),
    authorization: { name: chain.usdc.name, version: chain.usdc.version },
  } as Parameters<typeof charge>[0]);
  return method.createCredential({ challenge, context: {} } as never);
}
