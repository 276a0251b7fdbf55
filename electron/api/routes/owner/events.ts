import type { OwnerEventName, ownerEvents } from '../../../../shared/contract/events';
import type { z } from 'zod';

type OwnerEventData<K extends OwnerEventName> = z.input<(typeof ownerEvents)[K]>;
import type { AgentChange, Alert, ChainEvent } from '../../../core/events';
import type { ChainEventView } from '../../../../shared/schemas/chain';
import type { BudgetRequestRecord } from '../../../core/budgets/budget-repository';
import type { ReceiptRecord } from '../../../core/receipts/receipt-repository';
import type { SpendRecord } from '../../../core/spend/spend-repository';
import { ownerSpendOf } from '../../owner-spend';
import type { RouteContext } from '../../context';
import type { OwnerHandlerGroup } from '../../owner-routes';
import { ownerBudgetRequestView, settingsView } from '../../owner-views';
import { receiptView } from '../../views';
import type { Settings } from '../../../core/settings/settings-repository';

const HEARTBEAT_MS = 15_000;

/**
 * `GET /admin/v1/events`: a server-sent event stream for the owner's window, its events
 * named and shaped as `ownerEvents` (shared/contract/events.ts) says. It announces
 * every spend request created or decided (so new pending ones pop up at once), every
 * budget request change, every receipt and every alert. Events are sent after the commit
 * that made them. A stream opened by a window session ends when that session does
 * (revoked, logged out, or idle past its timeout), so an ended session hears nothing more.
 */
export function ownerEventHandlers({
  wallet,
  sessions,
}: RouteContext): OwnerHandlerGroup<'events'> {
  const { events } = wallet;
  const name = (agentId: string) => wallet.agents.nameOf(agentId);

  return {
    events: ({ request, reply }) => {
      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'keep-alive',
        'x-content-type-options': 'nosniff',
        'x-accel-buffering': 'no',
      });
      // Typed by the contract (shared/contract/events.ts): each event's data is its schema's.
      const send = <K extends OwnerEventName>(event: K, data: OwnerEventData<K>) =>
        raw.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
      const onSpend = (r: SpendRecord) => send('spend', ownerSpendOf(wallet, r));
      const onBudget = (r: BudgetRequestRecord) =>
        send('budget_request', ownerBudgetRequestView(r, name(r.agentId)));
      const onReceipt = (r: ReceiptRecord) =>
        send('receipt', { ...receiptView(r), agent_id: r.agentId, agent_name: name(r.agentId) });
      const onAlert = (a: Alert) =>
        send('alert', {
          kind: a.kind,
          agent_id: a.agentId,
          agent_name: name(a.agentId),
          object_id: a.objectId,
          message: a.message,
        });
      events.on('spend', onSpend);
      events.on('budget_request', onBudget);
      events.on('receipt', onReceipt);
      events.on('alert', onAlert);
      const onSettings = (settings: Settings) => send('settings', settingsView(settings));
      events.on('settings', onSettings);
      // On-chain news: settlements, releases, and each allowance revoke as it is confirmed.
      const onChain = (e: ChainEvent) =>
        send('chain', {
          kind: e.kind,
          agent_id: e.agentId,
          agent_name: e.agentId ? name(e.agentId) : null,
          object_id: e.objectId ?? null,
          tx_hash: e.txHash ?? null,
          message: e.message,
        } satisfies ChainEventView);
      events.on('chain', onChain);
      // An agent created or changed (policy, status, keys): windows read it again.
      const onAgent = (e: { agentId: string; change: AgentChange }) =>
        send('agent', { agent_id: e.agentId, change: e.change });
      events.on('agent', onAgent);
      const sessionId = request.ownerSession?.id;
      const onEnded = (id: string) => {
        if (id === sessionId) raw.end();
      };
      if (sessionId) sessions.on('ended', onEnded);
      const heartbeat = setInterval(() => {
        if (sessionId && !sessions.isLive(sessionId)) return; // isLive emits `ended`
        raw.write(': keep-alive\n\n');
      }, HEARTBEAT_MS);
      heartbeat.unref();
      raw.write(': connected\n\n');
      request.raw.socket.once('close', () => {
        clearInterval(heartbeat);
        sessions.off('ended', onEnded);
        events.off('spend', onSpend);
        events.off('budget_request', onBudget);
        events.off('receipt', onReceipt);
        events.off('alert', onAlert);
        events.off('settings', onSettings);
        events.off('chain', onChain);
        events.off('agent', onAgent);
      });
      // The reply was hijacked: the stream is written by hand, and nothing is answered here.
      return reply;
    },
  };
}
