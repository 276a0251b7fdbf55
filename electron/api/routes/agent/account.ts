import {
  balance,
  faucetBody,
  faucetResult,
  policyView,
} from '../../../../shared/schemas/agent-api';
import { errorEnvelope } from '../../../../shared/schemas/common';
import { centsToMicros, microsToCentsFloor } from '../../../../shared/money';
import { toIso } from '../../../core/clock';
import { agentAuthOf } from '../../auth';
import type { RouteContext, ZodApp } from '../../context';
import { standing } from '../../standing';

const errors = { '4XX': errorEnvelope };
const DEFAULT_FAUCET_CENTS = 10_000;

/** `GET /v1/balance`, `GET /v1/policy` (the pre-flight) and the sandbox faucet. */
export function accountRoutes(app: ZodApp, { wallet }: RouteContext): void {
  app.get(
    '/v1/balance',
    {
      config: { scope: 'spend.read' },
      schema: {
        summary: "The agent's budget and funding as they stand",
        response: { 200: balance, ...errors },
      },
    },
    async (request) => {
      const auth = agentAuthOf(request);
      wallet.spend.checkRate(auth);
      const view = standing(wallet, auth.agentId).view;
      const account = wallet.chain.walletOf(auth.agentId);
      if (!account) return { ...view, onchain_wallet: null };
      const balances = await wallet.chain.balanceOf(account.address);
      return {
        ...view,
        onchain_wallet: {
          address: account.address,
          balances: balances.map((b) => ({
            chain: b.chain,
            usdc_units: b.units === null ? null : b.units.toString(),
            usdc_cents: b.micros === null ? null : microsToCentsFloor(b.micros),
          })),
        },
      };
    },
  );

  app.get(
    '/v1/policy',
    {
      config: { scope: 'spend.read' },
      schema: {
        summary: 'The pre-flight: the whole policy as it applies now',
        response: { 200: policyView, ...errors },
      },
    },
    async (request) => {
      const auth = agentAuthOf(request);
      wallet.spend.checkRate(auth);
      const { agent, policy, view, velocityUsed, pendingExpiryHours } = standing(
        wallet,
        auth.agentId,
      );
      const { object: _o, agent_id: _a, mode: _m, status: _s, frozen, ...budget } = view;
      return {
        object: 'policy' as const,
        agent_id: agent.id,
        agent_name: agent.name,
        mode: agent.mode,
        status: agent.status,
        frozen,
        policy_version: policy.version,
        remaining_budget_cents: budget.remaining_budget_cents,
        budget,
        max_transaction_cents:
          policy.maxTransaction === null ? null : microsToCentsFloor(policy.maxTransaction),
        approval_threshold_cents:
          policy.approvalThreshold === null ? null : microsToCentsFloor(policy.approvalThreshold),
        allow_merchants: [...policy.allowMerchants],
        deny_merchants: [...policy.denyMerchants],
        allowed_categories: [...policy.allowedCategories],
        ask_on_new_merchant: policy.askOnNewMerchant,
        over_budget: policy.overBudget,
        velocity: {
          max_per_hour: policy.velocityPerHour,
          used_last_hour: velocityUsed,
        },
        rate_limit_per_minute: policy.rateLimitPerMinute,
        pending_expiry_hours: pendingExpiryHours,
        key: {
          id: auth.keyId,
          scopes: [...auth.scopes],
          expires_at: auth.expiresAt === null ? null : toIso(auth.expiresAt),
        },
      };
    },
  );

  app.post(
    '/v1/sandbox/faucet',
    {
      config: { scope: 'spend.write' },
      schema: {
        summary: "Test keys only: add test money to the agent's test funding source",
        body: faucetBody,
        response: { 200: faucetResult, ...errors },
      },
    },
    async (request) => {
      const auth = agentAuthOf(request);
      wallet.spend.checkRate(auth);
      const cents = request.body.amount_cents ?? DEFAULT_FAUCET_CENTS;
      const source = await wallet.funding.faucet(auth, centsToMicros(cents));
      return {
        object: 'faucet_deposit' as const,
        funding_source_id: source.id,
        amount_cents: cents,
        funding_balance_cents: microsToCentsFloor(source.balance),
        remaining_budget_cents: standing(wallet, auth.agentId).view.remaining_budget_cents,
      };
    },
  );
}
