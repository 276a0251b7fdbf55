/**
 * The owner API's lists and small answers: the envelopes around the views of owner-api.ts
 * and chain.ts, as the routes answer them (shared/contract/ names which route gives which).
 */
import { z } from 'zod';
import {
  agentView,
  fundingSourceView,
  keyView,
  ledgerEntryView,
  ownerBudgetRequestView,
  ownerSpendView,
} from './owner-api';

export const agentList = z.object({ agents: z.array(agentView) });

/** An agent's keys: never the keys themselves (only their prefix and last four). */
export const keyList = z.object({ keys: z.array(keyView) });

/** What waits for the owner: pending spend requests and pending budget requests. */
export const approvalsView = z.object({
  spend_requests: z.array(ownerSpendView),
  budget_requests: z.array(ownerBudgetRequestView),
});

export const spendRequestList = z.object({ spend_requests: z.array(ownerSpendView) });

export const ownerBudgetRequestList = z.object({
  budget_requests: z.array(ownerBudgetRequestView),
});

export const fundingSourceList = z.object({ funding_sources: z.array(fundingSourceView) });

/** A page of the ledger, newest first; `next_before_seq` pages on (null: the last page). */
export const ledgerPage = z.object({
  entries: z.array(ledgerEntryView),
  next_before_seq: z.int().nullable(),
});

/** `POST /admin/v1/agents/:id/wallet/fund`: the transfer, answered once confirmed. */
export const walletFunded = z.object({ tx_hash: z.string() });
