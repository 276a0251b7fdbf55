/**
 * The independent model (it imports nothing from electron/): given an Action and the ids
 * the core minted for it, it predicts the exact answer and moves its own state. The chain
 * test adds its own actions through `extension`.
 *
 * Predicted exactly: a spend's status, decision rule, grant and remaining budget, or its
 * hard-limit refusal code; an approval's rule or refusal; every 404/409 (and 403 for a
 * revoked agent's key); a receipt's counted_micros, settles, flags, review kind and amount,
 * over_limits and grant; a settlement's released amount; a grant's status, amount and end;
 * an x402 payment's status and decision, whether the paywall takes its signature, and what
 * a sync settles and releases; and after each step (reconcile.ts) every usage row (agent
 * part, shared part, time), every request's status and rule, every grant, review, agent
 * status, balance and limit sum, and each agent's remaining budget. Not predicted, so not
 * compared: texts (decision reasons, messages), events and alerts, and the ledger's
 * non-money fields; the auditor checks the ledger's money against the meters instead.
 */
import type { Action, Minted, Outcome } from './actions';
import { cents, type ModelState } from './model-state';
import { accept, amountOf, dispute, receipt } from './model-receipts';
import { approve, cancel, decline, declineAll, settle, spend } from './model-spend';
import * as owner from './model-owner';

export type ModelExtension = (m: ModelState, action: Action, minted: Minted) => Outcome | undefined;

export function applyModel(
  m: ModelState,
  a: Action,
  minted: Minted,
  extension?: ModelExtension,
): Outcome {
  const ext = extension?.(m, a, minted);
  if (ext) return ext;
  switch (a.t) {
    case 'spend':
      return spend(m, m.agent(a.agent), cents(a.cents), a.merchant, minted).outcome;
    case 'cancel':
      return cancel(m, m.agent(a.agent), a.spendId);
    case 'receipt':
      return receipt(m, m.agent(a.agent), amountOf(a.amount), a.merchant, a.spendId, minted);
    case 'budgetRequest':
      return owner.budgetRequest(m, m.agent(a.agent), cents(a.cents), minted);
    case 'approve':
      return approve(m, a.spendId, a.override);
    case 'decline':
      return decline(m, a.spendId);
    case 'declineAll':
      return declineAll(m, m.agent(a.agent));
    case 'accept':
      return accept(m, a.receiptId);
    case 'dispute':
      return dispute(m, a.receiptId);
    case 'settle':
      return settle(m, a.spendId, BigInt(a.to));
    case 'grantApprove':
      return owner.grantApprove(m, a.grantId, a.cents, a.hours);
    case 'grantReject':
      return owner.grantReject(m, a.grantId);
    case 'status':
      return owner.setStatus(m, m.agent(a.agent), a.to);
    case 'freeze':
      return owner.freeze(m, a.frozen);
    case 'policy':
      return owner.editPolicy(m, m.agent(a.agent), a.patch);
    case 'deposit':
      return owner.deposit(m, m.agent(0).source, BigInt(a.micros));
    case 'limits':
      return owner.setLimits(m, m.agent(0).source, a.fundingLimitCents, a.capCents);
    case 'advance':
      return owner.advance(m, a.ms);
    default:
      throw new Error(`the model has no rule for ${a.t}`);
  }
}
