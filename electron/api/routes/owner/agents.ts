import type { Agent } from '../../../core/agents/agent-repository';
import { agentCommandOf } from '../../commands';
import { rulesFromInput } from '../../../core/policy/policy';
import type { RouteContext } from '../../context';
import type { OwnerHandlerGroup } from '../../owner-routes';
import { agentView, keyView } from '../../owner-views';

type AgentRoutes =
  | 'listAgents'
  | 'createAgent'
  | 'getAgent'
  | 'updatePolicy'
  | 'pauseAgent'
  | 'resumeAgent'
  | 'revokeAgent'
  | 'listKeys'
  | 'issueKey'
  | 'revokeKey';

/** Agents, their policies and their keys: `/admin/v1/agents…`, `/admin/v1/keys…`. */
export function ownerAgentHandlers({ wallet }: RouteContext): OwnerHandlerGroup<AgentRoutes> {
  const view = (agent: Agent) => {
    const { policy, budget, alert } = wallet.agents.budgetOf(agent);
    return agentView(agent, policy, budget, alert);
  };
  const setStatus = (id: string, status: Agent['status']) =>
    wallet.agents.setStatus(id, status).then(view);
  return {
    listAgents: () => ({ agents: wallet.agents.list().map(view) }),
    createAgent: async ({ body }) => view((await wallet.agents.create(agentCommandOf(body))).agent),
    getAgent: ({ params }) => view(wallet.agents.require(params.id)),
    updatePolicy: async ({ params, body }) =>
      view((await wallet.agents.updatePolicy(params.id, rulesFromInput(body))).agent),
    pauseAgent: ({ params }) => setStatus(params.id, 'paused'),
    resumeAgent: ({ params }) => setStatus(params.id, 'active'),
    revokeAgent: ({ params }) => setStatus(params.id, 'revoked'),
    listKeys: ({ params }) => ({ keys: wallet.keys.list(params.id).map(keyView) }),
    issueKey: async ({ params, body, reply }) => {
      const { key, plaintext } = await wallet.keys.issue(params.id, {
        scopes: body.scopes,
        label: body.label ?? null,
        expiresAt: body.expires_at ? Date.parse(body.expires_at) : null,
      });
      // The plaintext is in this response and nowhere else; keep it out of every cache.
      reply.header('Cache-Control', 'no-store');
      return { ...keyView(key), key: plaintext };
    },
    revokeKey: async ({ params }) => keyView(await wallet.keys.revoke(params.id)),
  };
}
