import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { BudgetRequestResult, SpendRequestView } from '../../shared/client';
import { formatCents } from '../../shared/money';
import { visible } from '../../shared/text/visible';
import { approvalsPage } from './results';

/**
 * URL-mode elicitation (MCP 2025-11-25, client/elicitation): when the client declared
 * `elicitation: { url: {} }`, a new pending request is sent to it as an elicitation whose
 * URL is the request's approval page, so the client can offer the human to open it. The
 * elicitation is the request's id (elicitationId). Whatever the client answers is never
 * taken as approval: in URL mode "accept" only means the human agreed to open the page
 * (the specification says so), a client may answer by itself, and only the owner
 * approves, in Purser (docs/trust-model.md). The tool does not wait for the answer (the
 * human may take minutes) and its result stays needs_approval / pending; the answer is
 * only logged.
 *
 * Form mode is not used: a form with no fields still shows Accept and Decline, which a
 * human would take for approving or declining the spend, and neither does anything. A
 * client without URL mode gets the approval_url in the tool result, for the model to pass on.
 */
export function approvalPrompts(server: McpServer, purserUrl: string, log: (line: string) => void) {
  const prompted = new Set<string>();
  function prompt(id: string, url: string, message: string): void {
    if (!server.server.getClientCapabilities()?.elicitation?.url || prompted.has(id)) return;
    prompted.add(id);
    server.server
      .elicitInput(
        {
          mode: 'url',
          message: `${message} Answering this prompt approves nothing.`,
          url,
          elicitationId: id,
        },
        { timeout: 10 * 60_000 },
      )
      .then(
        (answer) => log(`approval prompt for ${id}: ${answer.action} (not an approval)`),
        (error: unknown) => log(`approval prompt for ${id} failed: ${String(error)}`),
      );
  }
  return {
    forSpend(view: SpendRequestView): void {
      if (view.status !== 'needs_approval' || !view.approval_url) return;
      prompt(
        view.id,
        view.approval_url,
        `Your agent asks to spend ${formatCents(view.amount_cents)} at ` +
          `${visible(view.merchant_name)}. Open Purser to approve or decline it.`,
      );
    },
    forBudget(view: BudgetRequestResult): void {
      if (view.status !== 'pending') return;
      prompt(
        view.id,
        approvalsPage(purserUrl),
        `Your agent asks for a budget of ${formatCents(view.requested_amount_cents)}: ` +
          `"${visible(view.purpose)}". Open Purser to approve or reject it.`,
      );
    },
  };
}
