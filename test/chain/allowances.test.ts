/**
 * Allowances for agents that hold their own keys: the owner's account grants an ERC-20
 * allowance, the chain refuses anything beyond it, and every transferFrom is reconciled
 * into the ledger (matched to an approved request, or flagged and the agent paused).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { openEvents } from '../helpers/sse';
import type { TestServer } from '../helpers/server';
import { spendBody } from '../helpers/server';
import {
  allowanceOf,
  callToken,
  chainWorldPerFile,
  expectOk,
  sync,
  type ChainWorld,
} from './world';

const chain = chainWorldPerFile();
let w: ChainWorld;
beforeAll(() => {
  w = chain.world();
});
const purser = () => chain.purser();

const allowanceOnChain = () => allowanceOf(w, w.owner.address, w.external.address);

/** An agent that holds its own key (`w.external`), with an allowance of `cents`. */
async function externalAgent(t: TestServer, cents: number, policy: Record<string, unknown> = {}) {
  const made = await t.newAgent({ budget_cents: 10_000, ...policy });
  const set = expectOk(
    await t.owner<Record<string, unknown>>('PUT', `/admin/v1/agents/${made.agent.id}/allowance`, {
      spender: w.external.address,
      amount_cents: cents,
    }),
  );
  return { ...made, allowance: set.body };
}

describe('allowances', () => {
  it('cap an external agent: the chain reverts the overspend, its spends are in the ledger', async () => {
    const t = await purser();
    const { key, agent, allowance } = await externalAgent(t, 500);
    expect(allowance).toMatchObject({
      amount_units: '5000000',
      status: 'active',
      left_units: '5000000',
    });
    expect(await allowanceOnChain()).toBe(5_000_000n);

    // The agent asks first, then spends what was approved through its allowance.
    const approved = expectOk(await t.agent(key, 'POST', '/v1/spend', spendBody(200, 'GPU Cloud')));
    expect(approved.body.status).toBe('approved');
    await callToken(w, w.external, 'transferFrom', [
      w.owner.address,
      w.merchant.address,
      2_000_000n,
    ]);
    // Beyond the allowance the chain itself refuses, whatever the agent does.
    await expect(
      callToken(w, w.external, 'transferFrom', [w.owner.address, w.merchant.address, 10_000_000n]),
    ).rejects.toThrow();

    const [report] = await sync(t);
    expect(report).toMatchObject({ transfers: 1, unmatched: 0 });
    const ledger = expectOk(
      await t.owner<{ entries: { type: string; status: string; object_id: string }[] }>(
        'GET',
        `/admin/v1/ledger?agent_id=${agent.id}`,
      ),
    );
    const transfer = ledger.body.entries.find((e) => e.type === 'chain.transfer');
    expect(transfer).toMatchObject({ status: 'matched', object_id: approved.body.id });
    const summary = expectOk(
      await t.owner<{ allowances: Record<string, unknown>[] }>('GET', '/admin/v1/chain'),
    );
    expect(summary.body.allowances[0]).toMatchObject({
      left_units: '3000000',
      spent_units: '2000000',
    });
    const agentRead = expectOk(
      await t.owner<{ status: string }>('GET', `/admin/v1/agents/${agent.id}`),
    );
    expect(agentRead.body.status).toBe('active');
  });

  it('an on-chain spend that matches no approved request is counted, flagged, and pauses the agent', async () => {
    const t = await purser();
    const { agent, key } = await externalAgent(t, 500);
    const events = await openEvents(t.url, t.server.ownerToken);
    try {
      await callToken(w, w.external, 'transferFrom', [
        w.owner.address,
        w.merchant.address,
        1_000_000n,
      ]);
      const [report] = await sync(t);
      expect(report).toMatchObject({ transfers: 1, unmatched: 1 });
      const alert = await events.next((e) => e.event === 'alert' && e.data.kind === 'agent_paused');
      expect(alert.data.agent_id).toBe(agent.id);
    } finally {
      events.close();
    }
    const read = expectOk(await t.owner<{ status: string }>('GET', `/admin/v1/agents/${agent.id}`));
    expect(read.body.status).toBe('paused');
    const ledger = expectOk(
      await t.owner<{ entries: { type: string; counted_micros: string }[] }>(
        'GET',
        `/admin/v1/ledger?agent_id=${agent.id}`,
      ),
    );
    expect(ledger.body.entries.find((e) => e.type === 'chain.transfer_unmatched')).toMatchObject({
      counted_micros: '1000000',
    });
    // It counts against the budget: the money is gone.
    const balance = expectOk(await t.agent(key, 'GET', '/v1/balance'));
    expect(balance.body.spent_cents).toBe(100);
    // A second sync of the same blocks adds nothing.
    const again = await sync(t);
    expect(again[0]).toMatchObject({ transfers: 0 });
  });

  it('changing an allowance goes through zero first, and revoke sets it to zero on chain', async () => {
    const t = await purser();
    const { agent } = await externalAgent(t, 500);
    const changed = expectOk(
      await t.owner('PUT', `/admin/v1/agents/${agent.id}/allowance`, {
        spender: w.external.address,
        amount_cents: 300,
      }),
    );
    expect(changed.body).toMatchObject({ amount_units: '3000000', left_units: '3000000' });
    const ledger = expectOk(
      await t.owner<{ entries: { type: string }[] }>(
        'GET',
        `/admin/v1/ledger?agent_id=${agent.id}`,
      ),
    );
    expect(ledger.body.entries.filter((e) => e.type === 'allowance.set')).toHaveLength(2);
    const revoked = expectOk(await t.owner('DELETE', `/admin/v1/agents/${agent.id}/allowance`));
    expect(revoked.body).toMatchObject({ status: 'revoked', left_units: '0' });
    expect(await allowanceOnChain()).toBe(0n);
  });

  it('panic revokes every allowance on chain, and each revoke is announced as confirmed', async () => {
    const t = await purser();
    const { agent } = await externalAgent(t, 500);
    const events = await openEvents(t.url, t.server.ownerToken);
    try {
      expectOk(await t.owner('POST', '/admin/v1/freeze'));
      const revoked = await events.next(
        (e) => e.event === 'chain' && e.data.kind === 'allowance_revoked',
        20_000,
      );
      expect(revoked.data).toMatchObject({ agent_id: agent.id });
      expect(revoked.data.tx_hash).toMatch(/^0x[0-9a-f]{64}$/);
    } finally {
      events.close();
    }
    expect(await allowanceOnChain()).toBe(0n);
    const ledger = expectOk(
      await t.owner<{ entries: { type: string; actor: string }[] }>('GET', '/admin/v1/ledger'),
    );
    expect(ledger.body.entries.find((e) => e.type === 'allowance.revoked')).toMatchObject({
      actor: 'system',
    });
    // And the frozen agent's transferFrom is refused by the chain.
    await expect(
      callToken(w, w.external, 'transferFrom', [w.owner.address, w.merchant.address, 1n]),
    ).rejects.toThrow();
  });

  it('an allowance set to reset each window is set back to the budget when a new one begins', async () => {
    const t = await purser();
    const made = await t.newAgent({ budget_cents: 400, period: 'daily' });
    expectOk(
      await t.owner('PUT', `/admin/v1/agents/${made.agent.id}/allowance`, {
        spender: w.external.address,
        reset_each_window: true,
      }),
    );
    expect(await allowanceOnChain()).toBe(4_000_000n); // the budget, by default
    expectOk(await t.agent(made.key, 'POST', '/v1/spend', spendBody(150, 'GPU Cloud')));
    await callToken(w, w.external, 'transferFrom', [
      w.owner.address,
      w.merchant.address,
      1_500_000n,
    ]);
    await sync(t);
    expect(await allowanceOnChain()).toBe(2_500_000n);
    // Same day: nothing changes. Next day: the whole budget again.
    await sync(t);
    expect(await allowanceOnChain()).toBe(2_500_000n);
    t.clock.advance(24 * 60 * 60_000);
    await sync(t);
    expect(await allowanceOnChain()).toBe(4_000_000n);
    const ledger = expectOk(
      await t.owner<{ entries: { type: string }[] }>(
        'GET',
        `/admin/v1/ledger?agent_id=${made.agent.id}`,
      ),
    );
    expect(ledger.body.entries.filter((e) => e.type === 'allowance.set')).toHaveLength(2);
  });

  it('a watch-only owner account cannot grant allowances, and says why', async () => {
    const t = await purser();
    expectOk(await t.owner('PUT', '/admin/v1/chain/owner-account', { address: w.owner.address }));
    const made = await t.newAgent({ budget_cents: 100 });
    const r = await t.owner('PUT', `/admin/v1/agents/${made.agent.id}/allowance`, {
      spender: w.external.address,
    });
    expect(r.status).toBe(409);
    expect(JSON.stringify(r.body)).toMatch(/watch-only/);
  });
});
