import {
  balance,
  faucetBody,
  faucetResult,
  policyView,
} from '../../../../shared/schemas/agent-api';
import { centsToMicros, microsToCentsFloor } from '../../../../shared/money';
import { toIso } from '../../../core/clock';
import { agentRoute } from '../../agent-route';
import type { RouteContext, ZodApp } from '../../context';
import { standing } from '../../standing';

const DEFAULT_FAUCET_CENTS = 10_000;

/** `GET /v1/balance`, `GET /v1/policy` (the pre-flight) and the sandbox faucet. */
export function accountRoutes(app: ZodApp, { wallet }: RouteContext): void {
  agentRoute(
    app,
    wallet,
    {
      method: 'GET',
      urls: ['/v1/balance'],
      scope: 'spend.read',
      summary: "The agent's budget and funding as they stand",
      schemas: { response: balance },
    },
    async ({ auth }) => {
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

  agentRoute(
    app,
    wallet,
    {
      method: 'GET',
      urls: ['/v1/policy'],
      scope: 'spend.read',
      summary: 'The pre-flight: the whole policy as it applies now',
      schemas: { response: policyView },
    },
    ({ auth }) => {
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

  agentRoute(
    app,
    wallet,
    {
      method: 'POST',
      urls: ['/v1/sandbox/faucet'],
      scope: 'spend.write',
      summary: "Test keys only: add test money to the agent's test funding source",
      schemas: { body: faucetBody, response: faucetResult },
    },
    async ({ auth, body }) => {
      const cents = body.amount_cents ?? DEFAULT_FAUCET_CENTS;
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
