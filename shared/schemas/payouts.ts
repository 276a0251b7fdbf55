/**
 * Payout intents and recipients (docs/payouts.md): an agent pays an address on chain from
 * its Purser-held wallet; the owner keeps an address book.
 */
import { z } from 'zod';
import { PAYOUT_STATUSES, SPEND_STATUSES } from '../domain';
import { amountCents, currency, idempotencyKey, metadata, nonEmptyText } from './common';

/** `POST /v1/crypto/payout-intents`. */
export const payoutCreateBody = z
  .strictObject({
    recipient: nonEmptyText(64).describe('a saved recipient (rcp_…) or an address (0x…)'),
    amount_cents: amountCents,
    currency: currency.optional(),
    network: nonEmptyText(64)
      .optional()
      .describe(
        'a configured chain (local, base-sepolia, base) or its CAIP-2 id; default: the first configured',
      ),
    asset: nonEmptyText(64).optional().describe('"usdc" (the default) or the chain’s USDC address'),
    reason: nonEmptyText(500),
    metadata: metadata.optional(),
    idempotency_key: idempotencyKey.optional(),
  })
  .meta({ id: 'PayoutIntentCreateBody' });
export type PayoutCreateBody = z.infer<typeof payoutCreateBody>;

export const payoutIntentView = z
  .object({
    object: z.literal('payout_intent'),
    id: z.string(),
    status: z.enum(PAYOUT_STATUSES),
    spend_request_id: z.string(),
    decision: z.enum(SPEND_STATUSES),
    decision_reason: z.string(),
    pending_reason: z.string().nullable(),
    failure_reason: z.string().nullable(),
    /** The transaction hash, once its signed transaction is stored and sent. */
    tx_signature: z.string().nullable(),
    recipient_id: z.string().nullable(),
    address: z.string(),
    network: z.string(),
    chain: z.string(),
    asset: z.string(),
    payer: z.string(),
    amount_cents: z.int(),
    amount_units: z.string(),
    reason: z.string(),
    metadata: z.record(z.string(), z.unknown()).nullable(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .meta({ id: 'PayoutIntent' });
export type PayoutIntentView = z.infer<typeof payoutIntentView>;

/** The owner's address book: `POST /admin/v1/recipients`. */
export const recipientCreateBody = z
  .strictObject({
    name: nonEmptyText(100),
    address: nonEmptyText(64),
    networks: z.array(nonEmptyText(64)).max(10).optional(),
  })
  .meta({ id: 'RecipientCreateBody' });

export const recipientPatchBody = z
  .strictObject({
    name: nonEmptyText(100).optional(),
    networks: z.array(nonEmptyText(64)).max(10).optional(),
  })
  .meta({ id: 'RecipientPatchBody' });

export const recipientView = z
  .object({
    object: z.literal('recipient'),
    id: z.string(),
    name: z.string(),
    address: z.string(),
    networks: z.array(z.string()),
    /** A saved recipient whose address looks like this one (same ends, other middle). */
    lookalike_of: z.object({ name: z.string(), address: z.string() }).nullable(),
    created_at: z.string(),
    archived_at: z.string().nullable(),
  })
  .meta({ id: 'Recipient' });
export type RecipientView = z.infer<typeof recipientView>;
