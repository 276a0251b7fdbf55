import { z } from 'zod';
import { CHAIN_EVENT_KINDS, CHAIN_IDS } from '../domain';
import { amountCents, limitCents } from './common';

/** The owner's chain routes (/admin/v1/chain…); see docs/chain.md. */
export const chainConfigBody = z
  .object({
    rpc_url: z.string().min(1).max(2048),
    chain_id: z
      .int()
      .min(1)
      .max(2 ** 53 - 1)
      .optional(),
    usdc_address: z.string().max(64).optional(),
    usdc_decimals: z.int().min(0).max(36).optional(),
    usdc_name: z.string().min(1).max(64).optional(),
    usdc_version: z.string().min(1).max(16).optional(),
  })
  .strict();

export const chainIdParams = z.strictObject({ id: z.enum(CHAIN_IDS) });

export const ownerAccountBody = z
  .object({
    /** Imported, sealed at once, never shown again. */
    private_key: z.string().min(1).max(80).optional(),
    generate: z.boolean().optional(),
    /** Watch-only: Purser reads it, never signs for it. */
    address: z.string().max(64).optional(),
  })
  .strict();

export const fundBody = z
  .object({ amount_cents: amountCents, chain: z.enum(CHAIN_IDS).optional() })
  .strict();

export const allowanceBody = z
  .object({
    spender: z.string().min(1).max(64),
    /** By default the agent's budget. */
    amount_cents: limitCents.optional(),
    reset_each_window: z.boolean().optional(),
    chain: z.enum(CHAIN_IDS).optional(),
  })
  .strict();

export const chainView = z.object({
  id: z.enum(CHAIN_IDS),
  chain_id: z.int(),
  network: z.string(),
  rpc_url: z.string(),
  usdc: z.object({ address: z.string(), decimals: z.int(), name: z.string(), version: z.string() }),
  synced_block: z.int().nullable(),
});

const balanceView = z.object({
  chain: z.string(),
  usdc_units: z.string().nullable(),
  usdc_cents: z.int().nullable(),
});

export const accountView = z.object({
  id: z.string(),
  role: z.enum(['owner', 'agent']),
  agent_id: z.string().nullable(),
  address: z.string(),
  can_sign: z.boolean(),
  sealed_with: z.enum(['passphrase', 'safe_storage']).nullable(),
  balances: z.array(balanceView),
});

export const allowanceView = z.object({
  agent_id: z.string(),
  chain: z.string(),
  spender: z.string(),
  amount_units: z.string(),
  status: z.enum(['active', 'revoked']),
  reset_each_window: z.boolean(),
  left_units: z.string().nullable(),
  spent_units: z.string(),
  tx_hash: z.string().nullable(),
  updated_at: z.string(),
});

export const chainSummary = z.object({
  unlocked: z.boolean(),
  chains: z.array(chainView),
  accounts: z.array(accountView),
  allowances: z.array(allowanceView),
});
export type ChainSummaryView = z.infer<typeof chainSummary>;

/** A `chain` event on the owner's stream (electron/api/routes/owner/events.ts). */
export const chainEventView = z.object({
  kind: z.enum(CHAIN_EVENT_KINDS),
  agent_id: z.string().nullable(),
  agent_name: z.string().nullable(),
  object_id: z.string().nullable(),
  tx_hash: z.string().nullable(),
  message: z.string(),
});
export type ChainEventView = z.infer<typeof chainEventView>;

export const syncReport = z.object({
  reports: z.array(
    z.object({
      chain: z.string(),
      to_block: z.int(),
      transfers: z.int(),
      settled: z.int(),
      released: z.int(),
      unmatched: z.int(),
    }),
  ),
});
